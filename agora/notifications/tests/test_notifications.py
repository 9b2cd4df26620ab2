import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from agora.accounts.models import Membership
from agora.follows.services import follow
from agora.notifications import services
from agora.notifications.emails import send_digests
from agora.notifications.models import Notification, Preference
from agora.permissions import PermissionDenied
from agora.testing import factories


@pytest.fixture
def follower(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    return user


def _prefer(user, organization, frequency, muted=()):
    Preference.objects.update_or_create(
        user=user, organization=organization, defaults={"email_frequency": frequency, "muted_events": list(muted)}
    )


def test_publish_reaches_followers_of_target_space_and_actor_never_the_actor(
    organization, process, participant, follower
):
    space_follower = factories.UserFactory()
    factories.member_of(space_follower, organization)
    actor_follower = factories.UserFactory()
    factories.member_of(actor_follower, organization)
    component = factories.ComponentFactory(space=process, manifest_name="news")
    follow(user=follower, target=component)
    follow(user=space_follower, target=process)
    follow(user=actor_follower, target=participant, organization=organization)
    follow(user=participant, target=component)  # the actor follows too: never told of their own act
    extra = factories.UserFactory()
    services.publish(
        event="comments.new_comment",
        actor=participant,
        target=component,
        organization=organization,
        space=process,
        extra_recipient_ids=[extra.pk],
    )
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {follower.pk, space_follower.pk, actor_follower.pk, extra.pk}
    notification = Notification.objects.get(recipient=follower)
    assert notification.url == component.get_absolute_url()
    assert participant.public_name in notification.message and str(component) in notification.message


def test_publish_without_space_and_actor_followers_and_with_exclusions(organization, process, participant, follower):
    other = factories.UserFactory()
    factories.member_of(other, organization)
    follow(user=follower, target=process)
    follow(user=other, target=participant, organization=organization)
    services.publish(
        event="comments.new_comment",
        actor=participant,
        target=process,
        organization=organization,
        space=process,
        space_followers=False,
        actor_followers=False,
        exclude_recipient_ids=[],
    )
    # the target *is* the space here: its followers are the target's followers
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {follower.pk}
    Notification.objects.all().delete()
    services.publish(
        event="comments.new_comment",
        actor=participant,
        target=process,
        organization=organization,
        exclude_recipient_ids=[follower.pk],
        actor_followers=False,
    )
    assert not Notification.objects.exists()


def test_notify_skips_deleted_and_muted_and_unknown_events_fail(organization, participant, follower):
    from agora.accounts.services import delete_account

    gone = factories.UserFactory()
    factories.member_of(gone, organization)
    delete_account(user=gone)
    _prefer(follower, organization, "daily", muted=["comments.mention"])
    services.notify(
        event="comments.mention",
        recipients=[follower, gone, participant],
        actor=None,
        organization=organization,
        url="/x/",
    )
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [participant.pk]
    with pytest.raises(KeyError):
        services.notify(event="nope.unknown", recipients=[participant], organization=organization)


def test_notifying_only_the_actor_makes_nothing_and_does_not_fail(organization, participant):
    # The task unpacks what delivery made: with nobody left once the actor is
    # taken out, it used to get a bare list and fail.
    from agora.notifications.delivery import deliver

    payload = services._payload(
        event="comments.mention",
        actor=participant,
        target=None,
        organization=organization,
        space=None,
        url="/x/",
        data=None,
        personal_ids=(),
    )
    assert deliver(payload, {participant.pk}) == ([], [])
    assert not Notification.objects.exists()


def test_private_space_notifications_only_reach_people_who_may_see_it(organization, participant, follower):
    private = factories.SpaceFactory(organization=organization, private=True)
    services.notify(
        event="comments.new_comment",
        recipients=[participant, follower],
        target=private,
        organization=organization,
        space=private,
    )
    assert not Notification.objects.exists()
    from agora.spaces.models import SpaceMember

    SpaceMember.objects.create(space=private, user=follower)
    services.notify(
        event="comments.new_comment",
        recipients=[participant, follower],
        target=private,
        organization=organization,
        space=private,
    )
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [follower.pk]


def test_immediate_email_with_unsubscribe_link_and_header(client, organization, follower):
    _prefer(follower, organization, "immediate")
    services.notify(event="follows.new_follower", recipients=[follower], organization=organization, url="/p/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [follower.email]
    html = message.alternatives[0][0]
    link = re.search(r"http://testserver(/notifications/unsubscribe/[^/]+/)", message.body).group(1)
    assert link in html
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "http://testserver/p/" in message.body
    assert not Notification.objects.get().email_pending
    # the link works without logging in: GET asks, POST (one click) stops
    assert client.get(link).status_code == 200
    assert Preference.objects.get(user=follower).email_frequency == "immediate"
    assert client.post(link).status_code == 200
    assert Preference.objects.get(user=follower).email_frequency == "none"


def test_each_line_of_an_email_is_in_the_recipients_language(organization, follower, participant):
    """The task may run in any language: the e-mail is worded in the recipient's."""
    from django.utils import translation

    _prefer(follower, organization, "immediate")
    follower.language = "en"
    follower.save(update_fields=["language"])
    with translation.override("fr"):
        services.notify(
            event="comments.mention",
            recipients=[follower],
            actor=participant,
            target=organization,
            organization=organization,
            url="/p/",
        )
    assert "mentioned you in a comment" in mail.outbox[0].body
    assert "mentioned you in a comment" in mail.outbox[0].subject


def test_unsubscribe_refuses_forged_or_foreign_tokens(client, organization, other_organization, follower):
    assert client.post("/notifications/unsubscribe/forged/").status_code == 404
    token = services.unsubscribe_token(follower.pk, other_organization.pk)
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 404
    assert not Preference.objects.exists()


def test_daily_digest_only_to_people_with_something_new_who_chose_it(organization, follower, participant):
    weekly = factories.UserFactory()
    factories.member_of(weekly, organization)
    _prefer(weekly, organization, "weekly")
    nothing_new = factories.UserFactory()
    factories.member_of(nothing_new, organization)
    services.notify(event="comments.new_comment", recipients=[follower, weekly], organization=organization, url="/a/")
    services.notify(event="proposals.new_idea", recipients=[follower], organization=organization, url="/b/")
    assert mail.outbox == []  # daily is the default: nothing at once
    call_command("send_digests", "daily")
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert "/a/" in mail.outbox[0].body and "/b/" in mail.outbox[0].body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert send_digests("daily") == 0  # nothing new since
    assert send_digests("weekly") == 1
    assert mail.outbox[-1].to == [weekly.email]


@pytest.mark.parametrize("frequency", ["daily", "weekly", None])
def test_what_is_about_oneself_is_mailed_at_once_the_rest_in_the_digest(organization, process, follower, frequency):
    """README: replies, mentions and the answer to one's idea come at once whatever digest
    was chosen (the default included); what others did goes to the digest."""
    if frequency:
        _prefer(follower, organization, frequency)
    other = factories.UserFactory()
    factories.member_of(other, organization)
    if frequency:
        _prefer(other, organization, frequency)
    follow(user=other, target=process)
    services.notify(event="comments.reply", recipients=[follower], organization=organization, url="/reply/")
    services.notify(event="comments.mention", recipients=[follower], organization=organization, url="/mention/")
    assert [m.to for m in mail.outbox] == [[follower.email], [follower.email]]
    assert "/reply/" in mail.outbox[0].body and "/mention/" in mail.outbox[1].body
    # The answer to an idea: at once for its author, in the digest for its followers.
    services.publish(
        event="proposals.answer_published",
        actor=None,
        target=process,
        organization=organization,
        url="/answer/",
        extra_recipient_ids=[follower.pk],
        personal_recipient_ids=[follower.pk],
    )
    assert [m.to for m in mail.outbox][2:] == [[follower.email]] and "/answer/" in mail.outbox[2].body
    assert Notification.objects.get(recipient=other).email_pending
    assert not Notification.objects.filter(recipient=follower, email_pending=True).exists()
    # Not about the person: the digest.
    services.notify(event="comments.new_comment", recipients=[follower], organization=organization, url="/other/")
    assert len(mail.outbox) == 3
    sent = send_digests(frequency or "daily")
    assert sent == 2 and {m.to[0] for m in mail.outbox[3:]} == {follower.email, other.email}
    digest = next(m for m in mail.outbox[3:] if m.to == [follower.email])
    assert "/other/" in digest.body and "/reply/" not in digest.body  # nothing twice


def test_no_email_frequency_keeps_notifications_on_the_site(organization, follower):
    _prefer(follower, organization, "none")
    services.notify(event="comments.reply", recipients=[follower], organization=organization)
    assert Notification.objects.get().email_pending is False
    assert send_digests("daily") == 0 and mail.outbox == []


def test_list_counter_mark_one_and_all(client, organization, follower, participant):
    services.notify(event="comments.reply", recipients=[follower, participant], organization=organization, url="/a/")
    services.notify(event="comments.mention", recipients=[follower], organization=organization, url="/b/")
    client.force_login(follower)
    html = client.get("/notifications/").content.decode()
    assert 'notification-count">2<' in html
    first, second = Notification.objects.filter(recipient=follower).order_by("id")
    others = Notification.objects.get(recipient=participant)
    assert client.post(f"/notifications/{others.pk}/read/").status_code == 404
    others.refresh_from_db()
    assert others.read_at is None
    client.post(f"/notifications/{first.pk}/read/")
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'notification-count">1<' in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=follower, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=participant).read_at is None


def test_list_paginates(client, organization, follower):
    for n in range(25):
        services.notify(event="comments.reply", recipients=[follower], organization=organization, url=f"/n{n}/")
    client.force_login(follower)
    html = client.get("/notifications/").content.decode()
    assert html.count('class="notification ') == 20
    assert client.get("/notifications/?page=2").content.decode().count('class="notification ') == 5


def test_pages_and_actions_refused_to_anonymous(client, organization, follower):
    services.notify(event="comments.reply", recipients=[follower], organization=organization)
    notification = Notification.objects.get()
    for url in ("/notifications/", "/notifications/preferences/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 302
    assert client.post("/notifications/read-all/").status_code == 302
    assert client.post("/notifications/preferences/", {"email_frequency": "none"}).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None and not Preference.objects.exists()


def test_services_refuse_other_people(organization, follower, participant):
    from django.contrib.auth.models import AnonymousUser

    services.notify(event="comments.reply", recipients=[follower], organization=organization)
    notification = Notification.objects.get()
    with pytest.raises(PermissionDenied):
        services.mark_read(user=participant, notification=notification)
    with pytest.raises(PermissionDenied):
        services.mark_all_read(user=AnonymousUser(), organization=organization)
    with pytest.raises(PermissionDenied):
        services.update_preferences(user=AnonymousUser(), organization=organization, email_frequency="none")


def test_preferences_page_saves_frequency_and_muted_events(client, organization, follower):
    client.force_login(follower)
    assert client.get("/notifications/preferences/").status_code == 200
    response = client.post("/notifications/preferences/", {"email_frequency": "weekly", "events": ["comments.reply"]})
    assert response.status_code == 302
    preference = Preference.objects.get(user=follower)
    assert preference.email_frequency == "weekly"
    assert "comments.mention" in preference.muted_events and "comments.reply" not in preference.muted_events
    response = client.post("/notifications/preferences/", {"email_frequency": "hourly"})
    assert response.status_code == 400
    assert Preference.objects.get(user=follower).email_frequency == "weekly"


def test_blocked_member_still_manages_own_notifications(client, organization, follower):
    services.notify(event="comments.reply", recipients=[follower], organization=organization, url="/a/")
    Membership.objects.filter(user=follower).update(blocked_at=timezone.now())
    client.force_login(follower)
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert 'notification-count">1<' in response.content.decode()
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=follower, read_at__isnull=True).exists()
    response = client.post("/notifications/preferences/", {"email_frequency": "weekly"})
    assert response.status_code == 302
    assert Preference.objects.get(user=follower).email_frequency == "weekly"
