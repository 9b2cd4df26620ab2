"""Every payload of agora.testing.xss written into the text fields of
moderation and conversations: report details, a moderator's message to a
blocked person, private messages, a participant's name. Pages and e-mails
must show them as text."""

import pytest
from django.core import mail
from django.urls import reverse

from agora.accounts.models import Membership
from agora.conversations import services as conversation_services
from agora.moderation import services
from agora.moderation.models import Moderation
from agora.notifications.models import Preference
from agora.testing.xss import PAYLOADS

from .conftest import make_participant
from .factories import post_in
from .xss_check import assert_no_live_markup


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.AGORA_POSTING_LIMITS = {"report": [], "message": [], "conversation": []}


def test_the_escaping_check_can_fail():
    with pytest.raises(AssertionError):
        assert_no_live_markup('<img src=x onerror=alert("xss-2")>')
    with pytest.raises(AssertionError):
        assert_no_live_markup("<a href=\"javascript:alert('xss-4')\">x</a>")
    with pytest.raises(AssertionError):
        assert_no_live_markup("<script>alert('xss-1')</script>")


def test_report_details_and_moderator_messages(
    client, organization, process, moderator, org_admin, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=moderator, organization=organization, email_frequency="immediate")
    post = post_in(process, title=PAYLOADS[1])
    for payload in PAYLOADS:
        reporter = make_participant(organization)
        reporter.name = payload[:150]
        reporter.save()
        with django_capture_on_commit_callbacks(execute=True):
            services.report_content(actor=reporter, obj=post, reason="other", details=payload)
    item = Moderation.objects.get()
    client.force_login(moderator)
    for url in (
        reverse("moderation_admin:item", args=[item.pk]),
        reverse("moderation_admin:space_queue", args=[process.pk]) + "?status=all",
        reverse("notifications:list") if _has_url("notifications:list") else None,
    ):
        if url:
            response = client.get(url)
            assert response.status_code == 200, url
            try:
                assert_no_live_markup(response.content.decode())
            except AssertionError as error:
                raise AssertionError(f"{url}: {error}") from None
    assert "&lt;script&gt;" in client.get(reverse("moderation_admin:item", args=[item.pk])).content.decode()
    # blocking messages, by e-mail
    author = item.author
    for payload in PAYLOADS:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("moderation_admin:block", args=[author.pk]), {"message": payload})
        assert response.status_code == 302
        Membership.objects.filter(user=author).update(blocked_at=None)
    client.force_login(org_admin)
    assert_no_live_markup(client.get(reverse("backoffice:log")).content.decode())
    assert mail.outbox
    assert_no_live_mail(mail.outbox)
    # the report form re-rendered with hostile input
    client.force_login(make_participant(organization))
    other = post_in(process)
    from agora.moderation.templatetags.moderation import report_url

    for payload in PAYLOADS:
        response = client.post(report_url(other), {"reason": "bad", "details": payload})
        assert_no_live_markup(response.content.decode())


def assert_no_live_mail(outbox):
    """HTML parts must be escaped; a plain-text body with no HTML part (the
    moderation e-mails) must not even contain markup (<, > escaped)."""
    for message in outbox:
        alternatives = getattr(message, "alternatives", None) or []
        for alternative in alternatives:
            assert_no_live_markup(alternative[0])
        if not alternatives:
            assert_no_live_markup(message.body)
        assert "<" not in message.subject


def _has_url(name):
    from django.urls import NoReverseMatch

    try:
        reverse(name)
        return True
    except NoReverseMatch:
        return False


def test_private_messages(client, organization):
    sender = make_participant(organization)
    sender.name = PAYLOADS[2]
    sender.save()
    recipient = make_participant(organization)
    Preference.objects.create(user=recipient, organization=organization, email_frequency="immediate")
    conversation = None
    for payload in PAYLOADS:
        conversation = conversation_services.start_conversation(
            actor=sender, organization=organization, recipients=[recipient], body=payload
        )
    client.force_login(recipient)
    for url in (
        reverse("conversations:inbox"),
        reverse("conversations:detail", args=[conversation.pk]),
        reverse("accounts:profile", args=[sender.nickname]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_no_live_markup(response.content.decode())
    if _has_url("notifications:list"):
        assert_no_live_markup(client.get(reverse("notifications:list")).content.decode())
    for payload in PAYLOADS:  # re-rendered form
        response = client.post(reverse("conversations:start"), {"to": sender.nickname + " " + payload, "body": payload})
        assert_no_live_markup(response.content.decode())
    assert mail.outbox
    assert_no_live_mail(mail.outbox)
