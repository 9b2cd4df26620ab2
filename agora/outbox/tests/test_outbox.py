"""The outbox: every e-mail exactly once, eventually (issue 24, section 3)."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from agora.actionlog.models import ActionLog
from agora.notifications import emails as notification_emails
from agora.notifications import services as notifications
from agora.notifications.emails import send_digests
from agora.outbox import delivery
from agora.outbox.models import OutboxGuard, OutgoingEmail
from agora.outbox.services import email_language, email_person, queue_email, queue_emails, release, retry
from agora.outbox.tests.backends import DyingRelay, FlakyRelay, WorkerKilled
from agora.permissions import PermissionDenied
from agora.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def relay(settings):
    settings.EMAIL_BACKEND = "agora.outbox.tests.backends.FlakyRelay"
    FlakyRelay.failure, FlakyRelay.attempts = None, 0
    yield FlakyRelay
    FlakyRelay.failure = None


def _queue(key="test:1", **extra):
    return queue_email(key=key, to="someone@example.org", subject="Hello", text="Body", **extra)


def _later(**delta):
    return timezone.now() + timedelta(**delta)


def test_an_email_is_sent_once_per_key_however_often_it_is_queued_or_delivered(relay):
    row = _queue()
    assert _queue() == row  # the same key: the same message, not a second one
    assert delivery.deliver([row.pk]) == 0 and delivery.deliver_due(now=_later(days=1)) == 0
    assert len(mail.outbox) == 1 and OutgoingEmail.objects.count() == 1
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.SENT and row.attempts == 1 and row.sent_at
    # The Message-ID comes from the key: a copy is recognisable by the receiving server.
    assert (
        mail.outbox[0].extra_headers["Message-ID"]
        == row.message_id
        == OutgoingEmail.message_id_for("test:1", row.sender)
    )


@pytest.mark.parametrize(
    "failure",
    [
        ConnectionRefusedError(111, "Connection refused"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        TimeoutError("timed out"),
        smtplib.SMTPResponseException(451, b"try again later"),
        smtplib.SMTPRecipientsRefused({"someone@example.org": (450, b"mailbox busy")}),
    ],
)
def test_a_relay_that_refuses_is_tried_again_later_and_the_email_sent_once(relay, failure):
    relay.failure = failure
    row = _queue()
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.PENDING and row.attempts == 1 and mail.outbox == []
    assert type(failure).__name__ in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)  # back-off, not at once
    assert delivery.deliver_due() == 0  # not due yet
    relay.failure = None
    assert delivery.deliver_due(now=_later(minutes=2)) == 1
    assert delivery.deliver_due(now=_later(days=1)) == 0
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.SENT and row.attempts == 2 and len(mail.outbox) == 1


def test_the_back_off_doubles_and_transient_errors_end_as_failed_after_the_last_attempt(relay, settings):
    settings.AGORA_OUTBOX_MAX_ATTEMPTS = 3
    relay.failure = ConnectionRefusedError(111, "Connection refused")
    row = _queue()
    first = OutgoingEmail.objects.get().next_attempt_at
    assert first >= timezone.now() + timedelta(seconds=59)
    before = timezone.now()
    delivery.deliver_due(now=first + timedelta(seconds=1))
    second = OutgoingEmail.objects.get().next_attempt_at
    assert second >= before + timedelta(seconds=120)  # twice the first delay
    delivery.deliver_due(now=second + timedelta(seconds=1))
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.FAILED and row.attempts == 3 and mail.outbox == []


def test_a_permanent_refusal_is_failed_at_once(relay):
    relay.failure = smtplib.SMTPRecipientsRefused({"someone@example.org": (550, b"no such user")})
    row = _queue()
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.FAILED and row.attempts == 1
    relay.failure = None
    assert delivery.deliver_due(now=_later(days=1)) == 0 and mail.outbox == []


def test_when_the_relay_is_down_the_rest_of_a_batch_waits_without_losing_an_attempt(relay):
    for number in range(5):
        _queue(key=f"test:{number}", deliver=False)
    relay.failure = ConnectionRefusedError(111, "Connection refused")
    assert delivery.deliver_due() == 0
    assert relay.attempts == 1  # one refused connection, not five
    assert sorted(OutgoingEmail.objects.values_list("attempts", flat=True)) == [0, 0, 0, 0, 1]
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {OutgoingEmail.State.PENDING}
    relay.failure = None
    assert delivery.deliver_due(now=_later(minutes=5)) == 5 and len(mail.outbox) == 5


def test_an_email_left_sending_by_a_dead_worker_is_taken_up_when_its_lease_expires(relay, settings):
    row = _queue(deliver=False)
    claimed = delivery._claim(OutgoingEmail.objects.filter(pk=row.pk), timezone.now())  # the worker dies here
    assert [r.pk for r in claimed] == [row.pk]
    assert delivery.deliver([row.pk]) == 0 and delivery.deliver_due() == 0  # still leased
    assert mail.outbox == []
    assert delivery.deliver_due(now=_later(seconds=settings.AGORA_OUTBOX_LEASE_SECONDS + 1)) == 1
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.SENT and len(mail.outbox) == 1
    assert delivery.deliver_due(now=_later(days=1)) == 0


def test_the_worker_whose_lease_was_taken_over_cannot_mark_or_fail_the_row(relay):
    row = _queue(deliver=False)
    stale = delivery._claim(OutgoingEmail.objects.filter(pk=row.pk), timezone.now())[0]
    delivery.deliver_due(now=_later(hours=1))  # lease expired: another process sends it
    delivery._mark_failure(stale, ConnectionRefusedError(), timezone.now())  # the first one comes back
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.SENT and len(mail.outbox) == 1


def test_send_outbox_command_sends_what_is_due(relay):
    _queue(deliver=False)
    call_command("send_outbox")
    assert len(mail.outbox) == 1


# --- digests --------------------------------------------------------------------------


@pytest.fixture
def people(organization):
    found = []
    for _number in range(5):
        user = factories.UserFactory()
        factories.member_of(user, organization)
        found.append(user)
    notifications.notify(event="comments.new_comment", recipients=found, organization=organization, url="/a/")
    return found


def test_a_digest_run_killed_midway_and_run_again_sends_nobody_two_digests(relay, monkeypatch, people, settings):
    # As in production: the worker sends after the chunk commits (the old code sent a
    # chunk, then marked it: killed in between, the rerun sent those people a second digest).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    monkeypatch.setattr(notification_emails, "CHUNK", 2)
    schedule = notification_emails.schedule_delivery
    calls = []

    def killed_in_the_second_chunk(ids):
        calls.append(ids)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed with the second chunk's e-mails built and marked, not committed
        schedule(ids)

    monkeypatch.setattr(notification_emails, "schedule_delivery", killed_in_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        send_digests("daily")
    assert delivery.deliver_due() == 2  # the worker sends the first chunk
    monkeypatch.setattr(notification_emails, "schedule_delivery", schedule)
    assert send_digests("daily") == 3
    assert send_digests("daily") == 0
    assert delivery.deliver_due() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def test_one_digest_per_person_and_period_the_rest_waits_for_the_next(relay, organization, people):
    assert send_digests("daily") == 5
    notifications.notify(event="comments.new_comment", recipients=people[:1], organization=organization, url="/b/")
    # The notifications marked e-mailed are put back as if a run had died before marking them:
    # the key (person, day) still stops a second digest the same day.
    assert send_digests("daily") == 0 and len(mail.outbox) == 5
    assert send_digests("daily", now=_later(days=1)) == 1 and len(mail.outbox) == 6
    assert "/b/" in mail.outbox[-1].body


# --- senders, languages ----------------------------------------------------------------


def test_each_organization_sends_from_its_own_address(relay, organization, participant, settings):
    organization.sender_email = "participation@ville.example"
    organization.save()
    _queue(organization=organization)
    _queue(key="test:2")
    assert [m.from_email for m in mail.outbox] == ["participation@ville.example", settings.DEFAULT_FROM_EMAIL]


def test_every_email_chooses_its_language_by_one_rule(organization, participant):
    """The person's preferred language when offered, else the page's, else the organization's."""
    assert email_language(organization, participant) == "fr"
    assert email_language(organization, participant, reading="en") == "en"
    assert email_language(organization, None, reading="de") == "fr"  # not offered
    participant.language = "en"
    assert email_language(organization, participant, reading="fr") == "en"
    participant.language = "de"
    assert email_language(organization, participant, reading="en") == "en"
    assert email_language(None, None, reading="en") == "en"  # no organization (the platform's pages)


def _unblocked(person=None, **extra):
    return email_person(
        key=f"test:{person.pk if person else 'address'}",
        subject_template=("moderation/email/unblocked_subject.txt"),
        text_template="moderation/email/unblocked_message.txt",
        person=person,
        **extra,
    )


def test_email_person_writes_in_that_language_from_the_organizations_sender(relay, organization, participant):
    organization.sender_email = "participation@ville.example"
    organization.save()
    participant.language = "en"
    _unblocked(participant, organization=organization)
    _unblocked(organization=organization, to="someone@example.org")  # an address alone: the organization's language
    english, french = mail.outbox
    assert english.to == [participant.email] and english.subject == "Your account was unblocked — Ville de Test"
    assert french.to == ["someone@example.org"] and french.body.startswith("Bonjour,")
    assert {m.from_email for m in mail.outbox} == {"participation@ville.example"}
    assert list(OutgoingEmail.objects.order_by("pk").values_list("language", flat=True)) == ["en", "fr"]


def test_email_person_writes_to_nobody_for_a_deleted_or_deactivated_account(organization, participant):
    participant.is_active = False
    assert _unblocked(participant, organization=organization) is None
    assert not OutgoingEmail.objects.exists()


# --- the back-office screen -------------------------------------------------------------


@pytest.fixture
def failed(relay, organization):
    relay.failure = smtplib.SMTPRecipientsRefused({"someone@example.org": (550, b"no such user")})
    row = _queue(organization=organization)
    relay.failure = None
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.FAILED
    return row


def test_an_organization_admin_sees_its_failed_emails_and_sends_one_again(
    client, org_admin, failed, other_organization, relay
):
    elsewhere = _queue(key="test:elsewhere", organization=other_organization)
    OutgoingEmail.objects.filter(pk=elsewhere.pk).update(state=OutgoingEmail.State.FAILED)
    client.force_login(org_admin)
    html = client.get("/admin/outbox/").content.decode()
    assert "someone@example.org" in html and f"/admin/outbox/{failed.pk}/retry/" in html
    assert f"/admin/outbox/{elsewhere.pk}/retry/" not in html
    assert client.post(f"/admin/outbox/{elsewhere.pk}/retry/").status_code == 404
    mail.outbox.clear()
    response = client.post(f"/admin/outbox/{failed.pk}/retry/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == OutgoingEmail.State.SENT and len(mail.outbox) == 1
    assert ActionLog.objects.filter(verb="outbox.retried", actor=org_admin, target_id=str(failed.pk)).exists()


def test_a_participant_may_not_see_or_retry_failed_emails(client, participant, failed):
    client.force_login(participant)
    assert client.get("/admin/outbox/").status_code == 403
    assert client.post(f"/admin/outbox/{failed.pk}/retry/").status_code == 403
    failed.refresh_from_db()
    assert failed.state == OutgoingEmail.State.FAILED
    with pytest.raises(PermissionDenied):
        retry(actor=participant, email=failed)


def test_only_platform_admins_retry_emails_of_no_organization(relay, org_admin, organization):
    row = _queue()
    OutgoingEmail.objects.filter(pk=row.pk).update(state=OutgoingEmail.State.FAILED)
    with pytest.raises(PermissionDenied):
        retry(actor=org_admin, email=row)
    admin = factories.UserFactory(is_superuser=True)
    retry(actor=admin, email=row, organization=organization)
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.SENT


def test_the_pages_of_a_state_stay_on_that_state(client, org_admin, organization, relay):
    rows = [_queue(key=f"test:held:{number}", organization=organization) for number in range(51)]
    OutgoingEmail.objects.filter(pk__in=[row.pk for row in rows]).update(state=OutgoingEmail.State.HELD)
    client.force_login(org_admin)
    html = client.get("/admin/outbox/?state=held").content.decode()
    assert "state=held&amp;page=2" in html


def test_the_screen_is_in_french(client, org_admin, failed):
    client.force_login(org_admin)
    html = client.get("/admin/outbox/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "E-mails non envoyés" in html


# --- restore ------------------------------------------------------------------------------


def test_an_outbox_restored_on_another_database_is_held_until_released(relay, monkeypatch):
    row = _queue(deliver=False)
    delivery.guard()
    OutboxGuard.objects.filter(pk=1).update(fingerprint="the-database-the-dump-was-taken-from")
    monkeypatch.setattr(delivery, "database_fingerprint", lambda: "a-fresh-database")
    assert delivery.deliver_due() == 0 and mail.outbox == []
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.HELD
    new = _queue(key="test:after-restore")  # new e-mails wait too
    assert mail.outbox == []
    assert release(send_held=False) == 1
    assert delivery.deliver_due() == 1
    row.refresh_from_db()
    assert row.state == OutgoingEmail.State.CANCELLED and [m.subject for m in mail.outbox] == ["Hello"]
    new.refresh_from_db()
    assert new.state == OutgoingEmail.State.SENT


def test_after_restore_holds_and_release_sends_the_held_emails(relay):
    _queue(deliver=False)
    call_command("after_restore")
    assert delivery.deliver_due() == 0 and mail.outbox == []
    call_command("release_outbox", "--send-held")
    assert delivery.deliver_due() == 1 and len(mail.outbox) == 1


def test_a_platform_admin_releases_a_held_outbox_from_the_screen_an_organization_admin_may_not(
    client, relay, organization, org_admin
):
    _queue(organization=organization, deliver=False)
    call_command("after_restore")
    client.force_login(org_admin)
    html = client.get("/admin/outbox/?state=held").content.decode()
    assert "La file d’envoi est retenue" in html and "/admin/outbox/release/" not in html
    assert client.post("/admin/outbox/release/", {"held": "send"}).status_code == 403
    assert delivery.is_held()
    admin = factories.UserFactory(is_superuser=True)
    factories.member_of(admin, organization)
    client.force_login(admin)
    assert "/admin/outbox/release/" in client.get("/admin/outbox/?state=held").content.decode()
    assert client.post("/admin/outbox/release/", {"held": "send"}).status_code == 302
    assert not delivery.is_held()
    assert ActionLog.objects.filter(verb="outbox.released", actor=admin, organization=organization).exists()
    assert delivery.deliver_due() == 1 and len(mail.outbox) == 1


def test_a_lease_shorter_than_the_relay_timeout_still_sends(relay, settings):
    settings.AGORA_OUTBOX_LEASE_SECONDS, settings.EMAIL_TIMEOUT = 30, 60
    _queue(deliver=False)
    assert delivery.deliver_due() == 1 and len(mail.outbox) == 1


def test_a_batch_stops_before_the_lease_runs_short_and_gives_the_rest_back(relay, monkeypatch):
    for number in range(3):
        _queue(key=f"test:{number}", deliver=False)
    rows = delivery._claim(OutgoingEmail.objects.all(), timezone.now())
    real_now = timezone.now
    clock = iter([real_now(), real_now() + timedelta(seconds=250)])  # the second row comes late
    monkeypatch.setattr(delivery.timezone, "now", lambda: next(clock, real_now() + timedelta(seconds=250)))
    sent, retry_rows = delivery._send_rows(rows)
    monkeypatch.setattr(delivery.timezone, "now", real_now)
    assert sent == 1 and len(retry_rows) == 2 and len(mail.outbox) == 1
    assert sorted(OutgoingEmail.objects.values_list("state", "attempts")) == [
        ("pending", 0),
        ("pending", 0),
        ("sent", 1),
    ]


# --- at most once (newsletters) ----------------------------------------------------------


@pytest.fixture
def dying(settings):
    settings.EMAIL_BACKEND = "agora.outbox.tests.backends.DyingRelay"
    DyingRelay.die_after, DyingRelay.accepted = None, 0
    yield DyingRelay
    DyingRelay.die_after = None


def _batch(count, *, at_most_once, organization=None):
    messages = [
        {"key": f"letter:{n}", "to": f"reader{n}@example.org", "subject": "News", "text": "Hi"} for n in range(count)
    ]
    return queue_emails(messages, organization=organization, kind="letter", at_most_once=at_most_once)


def test_an_at_most_once_email_accepted_by_the_relay_before_the_worker_died_is_not_sent_again(dying, settings):
    _batch(3, at_most_once=True)
    dying.die_after = 2  # killed right after the relay accepted the second message, before recording it
    with pytest.raises(WorkerKilled):
        delivery.deliver_due()
    assert [message.to[0] for message in mail.outbox] == ["reader0@example.org", "reader1@example.org"]
    states = dict(OutgoingEmail.objects.values_list("key", "state"))
    assert states == {"letter:0": "sent", "letter:1": "sending", "letter:2": "sending"}
    # Committed before the relay had it: the row whose outcome is unknown is recognisable.
    assert OutgoingEmail.objects.get(key="letter:1").handed_at is not None
    assert OutgoingEmail.objects.get(key="letter:2").handed_at is None
    assert delivery.deliver_due() == 0  # still leased
    # The worker started again, the lease expired: the row it had not handed is sent,
    # the one the relay may have accepted is "possibly sent", not sent a second time.
    later = _later(seconds=settings.AGORA_OUTBOX_LEASE_SECONDS + 1)
    assert delivery.deliver_due(now=later) == 1
    assert sorted(message.to[0] for message in mail.outbox) == [f"reader{n}@example.org" for n in range(3)]
    unsure = OutgoingEmail.objects.get(key="letter:1")
    assert unsure.state == OutgoingEmail.State.UNSURE and "perhaps received" in unsure.last_error
    assert delivery.deliver_due(now=_later(days=1)) == 0 and len(mail.outbox) == 3


def test_an_ordinary_email_in_the_same_case_is_sent_again_at_least_once(dying, settings):
    # A receipt must arrive: the copy carries the same Message-ID, for servers to recognise it.
    _batch(1, at_most_once=False)
    dying.die_after = 1
    with pytest.raises(WorkerKilled):
        delivery.deliver_due()
    assert delivery.deliver_due(now=_later(seconds=settings.AGORA_OUTBOX_LEASE_SECONDS + 1)) == 1
    assert (
        len(mail.outbox) == 2
        and mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers["Message-ID"]
    )
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT


def test_a_slow_worker_still_records_the_answer_of_a_row_set_aside(relay, settings):
    _batch(1, at_most_once=True)
    row = delivery._claim(OutgoingEmail.objects.all(), timezone.now())[0]
    assert delivery._hand(row, timezone.now(), timedelta(seconds=1))
    later = _later(seconds=settings.AGORA_OUTBOX_LEASE_SECONDS + 1)
    assert delivery.settle_abandoned(later) == 1
    delivery._mark_sent(row, timezone.now())  # the relay's answer, late
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT


@pytest.mark.parametrize(
    ("failure", "state"),
    [
        # The connection broke while the relay had the message (smtplib reports a timeout
        # waiting for the answer as a disconnection): perhaps accepted.
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out"), "unsure"),
        (TimeoutError("timed out"), "unsure"),
        # An answer with a code: the relay did not take it, it is tried again later.
        (smtplib.SMTPResponseException(451, b"try again later"), "pending"),
        (smtplib.SMTPRecipientsRefused({"reader0@example.org": (450, b"mailbox busy")}), "pending"),
    ],
)
def test_an_at_most_once_email_whose_answer_was_lost_is_possibly_sent(relay, failure, state):
    ids = _batch(1, at_most_once=True)
    relay.failure = failure
    delivery.deliver(ids.values())
    relay.failure = None
    assert OutgoingEmail.objects.get().state == state
    assert delivery.deliver_due(now=_later(days=1)) == (1 if state == "pending" else 0)


def test_an_organization_admin_sends_a_possibly_sent_email_again_a_participant_may_not(
    client, relay, organization, org_admin, participant
):
    ids = _batch(1, at_most_once=True, organization=organization)
    row = OutgoingEmail.objects.get(pk=next(iter(ids.values())))
    OutgoingEmail.objects.filter(pk=row.pk).update(state=OutgoingEmail.State.UNSURE)
    client.force_login(participant)
    assert client.post(f"/admin/outbox/{row.pk}/retry/").status_code == 403
    with pytest.raises(PermissionDenied):
        retry(actor=participant, email=row)
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.UNSURE and not mail.outbox
    client.force_login(org_admin)
    html = client.get("/admin/outbox/?state=unsure").content.decode()
    assert "reader0@example.org" in html and "ne sont pas renvoyés d’eux-mêmes" in html
    assert client.post(f"/admin/outbox/{row.pk}/retry/").status_code == 302
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT and len(mail.outbox) == 1
