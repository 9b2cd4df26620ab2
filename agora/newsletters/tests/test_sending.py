"""Sending: only opted-in people, each once and in their language, with the
one-click unsubscribe headers; batches, resuming after a crash, schedules."""

import collections
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from agora.accounts.models import Membership
from agora.actionlog.models import ActionLog
from agora.newsletters import sending, services
from agora.newsletters.models import Newsletter, Recipient
from agora.outbox import delivery
from agora.outbox import services as outbox_services
from agora.outbox.models import OutgoingEmail
from agora.outbox.tests.backends import DyingRelay, WorkerKilled
from agora.permissions import PermissionDenied


def _newsletter_mails():
    return [message for message in mail.outbox if "newsletter" in message.extra_headers.get("List-Id", "")]


def test_send_reaches_each_opted_in_person_once_in_their_language(organization, admin, draft, person):
    organization.sender_email = "lettre@testserver.example"
    organization.save(update_fields=["sender_email"])
    draft.organization.sender_email = organization.sender_email
    french, english = person(language="fr"), person(language="en")
    no = person(opted=False)
    result = services.send(actor=admin, newsletter=draft)
    assert result.status == Newsletter.Status.SENT and result.recipient_count == 2
    sent = {message.to[0]: message for message in _newsletter_mails()}
    assert set(sent) == {french.email, english.email} and no.email not in sent
    assert {message.from_email for message in sent.values()} == {"lettre@testserver.example"}
    assert sent[french.email].subject == "Les nouvelles de juin"
    assert sent[english.email].subject == "June news"
    assert "Hello everyone." in sent[english.email].body
    html = sent[english.email].alternatives[0][0]
    assert "Hello everyone." in html and "http://testserver/processes/budget/" in html
    # RFC 8058 one-click unsubscribe, a link of this person only.
    headers = sent[french.email].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://testserver/newsletters/unsubscribe/") and link in sent[french.email].body
    assert link != sent[english.email].extra_headers["List-Unsubscribe"].strip("<>")
    # No tracking: no per-person image, the only links are the content's, the archive and the unsubscribe.
    assert "<img" not in html
    assert OutgoingEmail.objects.filter(kind="newsletter", state=OutgoingEmail.State.SENT).count() == 2


def test_running_the_sending_again_sends_nobody_twice(organization, admin, draft, person):
    people = [person() for _ in range(5)]
    services.send(actor=admin, newsletter=draft)
    assert len(_newsletter_mails()) == 5
    # The worker runs the task again (a duplicate, a resume): nothing new.
    Newsletter.objects.filter(pk=draft.pk).update(status=Newsletter.Status.SENDING)
    Recipient.objects.filter(newsletter=draft).update(state=Recipient.State.PENDING)  # as if a batch's mark was lost
    sending.send(draft.pk)
    assert len(_newsletter_mails()) == 5
    assert OutgoingEmail.objects.filter(kind="newsletter").count() == len(people)


def test_a_crash_mid_sending_resumes_with_those_not_yet_sent(organization, admin, draft, person, settings, monkeypatch):
    settings.AGORA_NEWSLETTER_BATCH = 2
    people = [person() for _ in range(5)]
    calls = {"n": 0}
    real = sending.send_batch

    def dying(newsletter, rendered):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("the worker is killed")  # mid-batch: its transaction rolls back
        return real(newsletter, rendered)

    # The officer's click only queues the task (the database backend's worker runs it later).
    monkeypatch.setattr(sending, "queue_sending", lambda newsletter: None)
    services.send(actor=admin, newsletter=draft)
    monkeypatch.setattr(sending, "send_batch", dying)
    with pytest.raises(KeyboardInterrupt):
        sending.send(draft.pk)
    draft.refresh_from_db()
    assert draft.status == Newsletter.Status.SENDING
    assert len(_newsletter_mails()) == 2  # the first batch
    monkeypatch.setattr(sending, "send_batch", real)
    # The cron job finds the sending without a heartbeat and queues it again.
    later = timezone.now() + timedelta(seconds=sending.stale_seconds() + 1)
    assert sending.resume_due(now=later) == [draft.pk]
    draft.refresh_from_db()
    assert draft.status == Newsletter.Status.SENT
    assert sorted(message.to[0] for message in _newsletter_mails()) == sorted(user.email for user in people)


def test_unsubscribing_mid_sending_is_honoured_at_the_next_batch(organization, admin, draft, person):
    first, second = person(), person()
    sending_newsletter = Newsletter.objects.get(pk=draft.pk)
    Newsletter.objects.filter(pk=draft.pk).update(status=Newsletter.Status.SENDING)
    sending.list_recipients(sending_newsletter)
    Membership.objects.filter(user=second).update(newsletter_consent_at=None)
    sending.send(draft.pk)
    assert [message.to[0] for message in _newsletter_mails()] == [first.email]
    assert Recipient.objects.get(newsletter=draft, user=second).state == Recipient.State.SKIPPED
    assert sending.progress(Newsletter.objects.get(pk=draft.pk))["skipped"] == 1


def test_scheduled_newsletter_starts_when_its_date_comes(organization, admin, draft, person):
    reader = person()
    when = timezone.now() + timedelta(hours=2)
    result = services.send(actor=admin, newsletter=draft, when=when)
    assert result.status == Newsletter.Status.SCHEDULED and not _newsletter_mails()
    assert sending.resume_due() == []  # not yet
    assert sending.resume_due(now=when + timedelta(minutes=1)) == [draft.pk]
    assert [message.to[0] for message in _newsletter_mails()] == [reader.email]


def test_cancelled_schedule_sends_nothing(organization, admin, draft, person):
    person()
    when = timezone.now() + timedelta(hours=2)
    services.send(actor=admin, newsletter=draft, when=when)
    services.cancel_schedule(actor=admin, newsletter=draft)
    assert sending.resume_due(now=when + timedelta(minutes=1)) == []
    assert sending.send(draft.pk) == 0 and not _newsletter_mails()


def test_a_date_in_the_past_is_refused(organization, admin, draft):
    with pytest.raises(ValidationError):
        services.send(actor=admin, newsletter=draft, when=timezone.now() - timedelta(minutes=1))
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.DRAFT


def test_a_sent_newsletter_cannot_be_sent_or_changed_again(organization, admin, draft, person):
    person()
    services.send(actor=admin, newsletter=draft)
    with pytest.raises(ValidationError):
        services.send(actor=admin, newsletter=draft)
    with pytest.raises(ValidationError):
        services.update_newsletter(actor=admin, newsletter=draft, subject={"fr": "Autre"})
    assert len(_newsletter_mails()) == 1


def test_test_goes_to_oneself_only_in_each_language(organization, admin, draft, person):
    person()
    rows = services.send_test(actor=admin, newsletter=draft)
    assert len(rows) == 2
    assert {message.to[0] for message in mail.outbox} == {admin.email}
    assert {message.subject for message in mail.outbox} == {"[Essai] Les nouvelles de juin", "[Test] June news"}
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.DRAFT


@pytest.mark.parametrize(
    "call",
    [
        lambda actor, newsletter: services.send(actor=actor, newsletter=newsletter),
        lambda actor, newsletter: services.send_test(actor=actor, newsletter=newsletter),
        lambda actor, newsletter: services.set_audience(actor=actor, newsletter=newsletter, audience={}),
        lambda actor, newsletter: services.update_newsletter(actor=actor, newsletter=newsletter, subject={"fr": "X"}),
        lambda actor, newsletter: services.delete_newsletter(actor=actor, newsletter=newsletter),
        lambda actor, newsletter: services.save_block(
            actor=actor, newsletter=newsletter, kind="text", text={"fr": "<p>x</p>"}
        ),
        lambda actor, newsletter: services.delete_block(actor=actor, block=newsletter.blocks.first()),
        lambda actor, newsletter: services.move_block(actor=actor, block=newsletter.blocks.first(), direction="down"),
        lambda actor, newsletter: services.create_newsletter(
            actor=actor, organization=newsletter.organization, subject={"fr": "X"}
        ),
    ],
)
def test_staff_without_the_right_are_refused_by_the_services(organization, draft, space_admin, person, call):
    person()
    with pytest.raises(PermissionDenied):
        call(space_admin, draft)
    assert not mail.outbox
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.DRAFT
    assert draft.blocks.count() == 2


@pytest.fixture
def worker_queue(monkeypatch):
    """As with the database task backend: the delivery tasks wait for a worker
    (`delivery.deliver_due` stands for it) instead of running at once."""
    monkeypatch.setattr(sending, "schedule_delivery", lambda ids: None)
    monkeypatch.setattr(outbox_services, "schedule_delivery", lambda ids: None)


@pytest.fixture
def dying(settings):
    settings.EMAIL_BACKEND = "agora.outbox.tests.backends.DyingRelay"
    DyingRelay.die_after, DyingRelay.accepted = None, 0
    yield DyingRelay
    DyingRelay.die_after = None


def test_a_worker_killed_after_the_relay_accepted_does_not_send_twice_on_restart(
    organization, admin, draft, person, worker_queue, dying, settings, space_admin
):
    people = [person() for _ in range(5)]
    services.send(actor=admin, newsletter=draft)
    assert not _newsletter_mails()  # handed to the outbox, waiting for the worker
    # The worker delivers; it is killed right after the relay accepted the third e-mail.
    dying.die_after = 3
    with pytest.raises(WorkerKilled):
        delivery.deliver_due()
    assert len(_newsletter_mails()) == 3
    # Started again (the cron jobs); once the dead worker's lease has expired, the
    # others are sent, the one the relay may have accepted is not sent again.
    later = timezone.now() + timedelta(seconds=settings.AGORA_OUTBOX_LEASE_SECONDS + 1)
    sending.resume_due(now=later)
    delivery.deliver_due(now=later)
    delivery.deliver_due(now=later + timedelta(days=1))
    received = collections.Counter(message.to[0] for message in _newsletter_mails())
    assert received == {user.email: 1 for user in people}
    newsletter = Newsletter.objects.get(pk=draft.pk)
    progress = sending.progress(newsletter)
    assert (progress["delivered"], progress["unsure"]) == (4, 1)
    # Sending again to them is the officer's choice, refused to staff without the right.
    with pytest.raises(PermissionDenied):
        services.resend_possibly_sent(actor=space_admin, newsletter=newsletter)
    assert sending.progress(newsletter)["unsure"] == 1 and len(_newsletter_mails()) == 5
    assert services.resend_possibly_sent(actor=admin, newsletter=newsletter) == 1
    delivery.deliver_due()
    progress = sending.progress(newsletter)
    assert (progress["delivered"], progress["unsure"]) == (5, 0)
    assert len(_newsletter_mails()) == 6  # the third person has the copy the officer chose to send
    assert ActionLog.objects.filter(verb="newsletters.resent_possibly_sent", actor=admin).exists()
    with pytest.raises(ValidationError):  # nobody left to send again to
        services.resend_possibly_sent(actor=admin, newsletter=newsletter)
