"""Every payload of agora.testing.xss written into comment bodies, the names
of mentioned people, titles carried by notifications and notification data:
no page or e-mail shows any of it as live markup."""

from django.core import mail

from agora.comments import services
from agora.components.news.tests.factories import PostFactory
from agora.core.translations import tr
from agora.notifications.models import Notification, Preference
from agora.notifications.services import notify
from agora.testing.xss import PAYLOADS
from agora.testing.xss import assert_no_live_payload as assert_no_live_markup


def test_payloads_in_comments_names_and_notifications_never_run(client, organization, news, member):
    writer = member(nickname="writer", name=PAYLOADS[1])
    reader = member(nickname="reader", name=PAYLOADS[0])
    Preference.objects.create(user=reader, organization=organization, email_frequency="immediate")
    post = PostFactory(component=news, title=tr(PAYLOADS[5], PAYLOADS[5]), author=writer, official=False)
    top = services.create_comment(actor=writer, target=post, body="start @reader")
    for payload in PAYLOADS:
        services.create_comment(actor=writer, target=post, parent=top, body=f"{payload} @reader {payload}")
        services.create_comment(actor=writer, target=post, body=f"@{payload} {payload}")
    notify(
        event="comments.mention",
        recipients=[reader],
        actor=writer,
        target=post,
        organization=organization,
        url="javascript:alert('xss-url')",
        data={"title": PAYLOADS[2], "note": PAYLOADS[3]},
    )
    assert Notification.objects.filter(recipient=reader).count() > len(PAYLOADS)

    for viewer in (None, reader, writer):
        if viewer:
            client.force_login(viewer)
        html = client.get(post.get_absolute_url()).content.decode()
        assert_no_live_markup(html)
        assert "&lt;script&gt;alert(&#x27;xss-1&#x27;)&lt;/script&gt;" in html  # shown, as text
    client.force_login(reader)
    html = client.get("/notifications/").content.decode()
    assert_no_live_markup(html)
    assert 'href="javascript:' not in html
    for page in ("/notifications/?page=2", "/notifications/preferences/"):
        assert_no_live_markup(client.get(page).content.decode())
    fragment = client.get(f"/comments/on/news.post/{post.pk}/thread/?page=1").content.decode()
    assert_no_live_markup(fragment)

    assert mail.outbox
    for message in mail.outbox:
        html_part, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert_no_live_markup(html_part)
        assert "\n" not in message.subject
        # The text part is text/plain: payloads are shown as typed, nothing is interpreted.
        assert message.content_subtype == "plain"


def test_payloads_in_error_page_are_escaped(client, participant, post, news):
    news.settings = {"comments_max_length": 100}
    news.save()
    client.force_login(participant)
    for payload in PAYLOADS:
        response = client.post(f"/comments/on/news.post/{post.pk}/", {"body": payload * 20, "next": payload})
        assert response.status_code == 400
        assert_no_live_markup(response.content.decode())
