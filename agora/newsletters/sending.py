"""Sending a newsletter in the background worker, in batches, resumable.

    start     the status becomes "sending" and `send_task` is queued (in the
              officer's transaction); a scheduled newsletter starts when its
              date comes (the task queued for that date, and send_newsletters);
    list      once: one `Recipient` row per person of the audience (unique per
              newsletter and person), in one transaction, and the count fixed;
    batches   `BATCH` waiting rows at a time, each batch one transaction: the
              people who withdrew their consent meanwhile are skipped, the
              others get their e-mail as an outbox row keyed
              "newsletter:<newsletter>:<person>" (unique), the rows are marked
              queued, the outbox's delivery tasks are queued;
    end       no waiting row left: "sent".

A worker that dies mid-batch rolls the batch back: nothing of it happened.
Its task stays "running" in django-tasks-db, so `manage.py send_newsletters`
(cron, every minute) queues the task again for a sending whose heartbeat is
older than `stale_seconds()`. Running a batch twice at once is harmless: rows
are claimed with SKIP LOCKED (PostgreSQL), and a row queued twice finds its
outbox key taken, so nobody gets a newsletter twice. Delivery itself is the
outbox's (leases, retries; docs/architecture.md), at most once: an e-mail a
worker was handing to the relay when it died is "possibly sent", never sent
again unless an officer chooses to (`services.resend_possibly_sent`)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from agora.newsletters import audiences, rendering
from agora.newsletters.links import unsubscribe_token
from agora.newsletters.models import Newsletter, Recipient
from agora.outbox.models import OutgoingEmail
from agora.outbox.services import queue_emails, schedule_delivery

logger = logging.getLogger(__name__)

DELIVERY_CHUNK = 50  # outbox rows per delivery task: several workers share a batch
LIST_CHUNK = 2000  # recipients listed per INSERT


def batch_size() -> int:
    return getattr(settings, "AGORA_NEWSLETTER_BATCH", 500)


def stale_seconds() -> int:
    return getattr(settings, "AGORA_NEWSLETTER_STALE_SECONDS", 120)


@task()
def send_task(newsletter_id: int) -> int:
    """The sending task: every batch, until none is left. Returns how many e-mails it queued."""
    return send(newsletter_id)


def queue_sending(newsletter: Newsletter) -> None:
    """Queue the task (in the caller's transaction); for a scheduled newsletter
    at its date when the task backend can run a task later."""
    if newsletter.status == Newsletter.Status.SCHEDULED and newsletter.scheduled_for:
        if send_task.get_backend().supports_defer:
            send_task.using(run_after=newsletter.scheduled_for).enqueue(newsletter.pk)
        return  # otherwise send_newsletters starts it when its date comes
    send_task.enqueue(newsletter.pk)


def _begin(newsletter_id: int, now) -> Newsletter | None:
    """The newsletter to send now: "sending", or "scheduled" whose date has
    come (it becomes "sending"); None otherwise (a draft again, sent, later)."""
    Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SCHEDULED, scheduled_for__lte=now).update(
        status=Newsletter.Status.SENDING, started_at=now, heartbeat_at=now
    )
    return (
        Newsletter.objects.select_related("organization")
        .filter(pk=newsletter_id, status=Newsletter.Status.SENDING)
        .first()
    )


def list_recipients(newsletter: Newsletter) -> int:
    """One row per person of the audience, once (a second call finds them listed)."""
    with transaction.atomic():
        locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if locked.recipients_listed:
            return locked.recipient_count
        people = audiences.recipients(locked.organization, locked.audience).values_list("pk", flat=True)
        count, chunk = 0, []
        # In chunks, so that 50,000 people never sit in memory as model instances at once.
        for pk in people.order_by("pk").iterator(chunk_size=LIST_CHUNK):
            chunk.append(Recipient(newsletter=locked, user_id=pk))
            if len(chunk) == LIST_CHUNK:
                Recipient.objects.bulk_create(chunk, ignore_conflicts=True)
                count, chunk = count + len(chunk), []
        Recipient.objects.bulk_create(chunk, ignore_conflicts=True)
        count += len(chunk)
        locked.recipients_listed, locked.recipient_count = True, count
        locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["recipients_listed", "recipient_count", "heartbeat_at"])
    newsletter.recipients_listed, newsletter.recipient_count = True, count
    return count


def unsubscribe_url(newsletter: Newsletter, user_id: int) -> str:
    token = unsubscribe_token(user_id, newsletter.organization_id)
    return newsletter.organization.base_url + reverse("newsletters:unsubscribe", kwargs={"token": token})


def send_batch(newsletter: Newsletter, rendered: dict) -> int:
    """Queue the e-mails of one batch of waiting rows. Returns how many rows
    it handled (0: none waiting). `rendered` keeps each language's e-mail."""
    organization = newsletter.organization
    with transaction.atomic():
        rows = list(
            Recipient.objects.filter(newsletter=newsletter, state=Recipient.State.PENDING)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .order_by("pk")[: batch_size()]
        )
        if not rows:
            return 0
        # Consent is read again now: unsubscribing is immediate, even mid-sending.
        still = set(
            audiences.opted_in(organization).filter(pk__in=[row.user_id for row in rows]).values_list("pk", flat=True)
        )
        messages, keys = [], {}
        for row in rows:
            if row.user_id not in still:
                continue
            language = organization.language_for(row.user)
            if language not in rendered:
                rendered[language] = rendering.email(newsletter, language)
            subject, text, html = rendered[language]
            link = unsubscribe_url(newsletter, row.user_id)
            key = f"newsletter:{newsletter.pk}:{row.user_id}"
            keys[row.pk] = key
            messages.append(
                {
                    "key": key,
                    "to": row.user.email,
                    "subject": subject,
                    "text": text.replace(rendering.UNSUBSCRIBE, link),
                    "html": html.replace(rendering.UNSUBSCRIBE, link),
                    "language": language,
                    "headers": {
                        # RFC 8058: the mail client's "unsubscribe" posts to the link, no log-in.
                        "List-Unsubscribe": f"<{link}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                        "List-Id": f"<newsletter.{organization.host}>",
                    },
                }
            )
        # At most once: an e-mail a crash left perhaps delivered is "possibly sent", not sent again by itself.
        queued = queue_emails(messages, organization=organization, kind="newsletter", at_most_once=True)
        now = timezone.now()
        for row in rows:
            if row.pk in keys:
                row.state, row.email_id, row.queued_at = Recipient.State.QUEUED, queued.get(keys[row.pk]), now
            else:
                row.state = Recipient.State.SKIPPED
        Recipient.objects.bulk_update(rows, ["state", "email", "queued_at"])
        ids = sorted(queued.values())
        for start in range(0, len(ids), DELIVERY_CHUNK):
            schedule_delivery(ids[start : start + DELIVERY_CHUNK])
        Newsletter.objects.filter(pk=newsletter.pk).update(heartbeat_at=now)
    return len(rows)


def _finish(newsletter: Newsletter) -> None:
    with transaction.atomic():
        if not Recipient.objects.filter(newsletter=newsletter, state=Recipient.State.PENDING).exists():
            Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENDING).update(
                status=Newsletter.Status.SENT, sent_at=timezone.now()
            )


def send(newsletter_id: int, *, now=None) -> int:
    """List the recipients (once), then queue every batch. Safe to run again,
    and at the same time as another run."""
    newsletter = _begin(newsletter_id, now or timezone.now())
    if newsletter is None:
        return 0
    list_recipients(newsletter)
    rendered: dict = {}
    handled = 0
    while True:
        count = send_batch(newsletter, rendered)
        if not count:
            break
        handled += count
    _finish(newsletter)
    return handled


def resume_due(*, now=None) -> list[int]:
    """What `manage.py send_newsletters` does every minute: queue the task of
    every scheduled newsletter whose date has come, and of every sending whose
    worker stopped beating (died). Returns the ids queued."""
    now = now or timezone.now()
    due = Newsletter.objects.filter(
        Q(status=Newsletter.Status.SCHEDULED, scheduled_for__lte=now)
        | Q(status=Newsletter.Status.SENDING)
        & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - timedelta(seconds=stale_seconds())))
    )
    ids = list(due.values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            # Its date has come: it is sending from now on.
            Newsletter.objects.filter(pk=pk, status=Newsletter.Status.SCHEDULED, scheduled_for__lte=now).update(
                status=Newsletter.Status.SENDING, started_at=now
            )
            # Beat once for it, so the next pass does not queue it again before the task runs.
            Newsletter.objects.filter(pk=pk, status=Newsletter.Status.SENDING).update(heartbeat_at=now)
            send_task.enqueue(pk)
    return ids


def progress(newsletter: Newsletter) -> dict:
    """The sending's progress for its page: listed, handed to the outbox,
    skipped, delivered (accepted by the relay), failed, possibly sent (a
    worker stopped while handing them to the relay: not sent again unless the
    officer chooses to, `services.resend_possibly_sent`)."""
    counts = Recipient.objects.filter(newsletter=newsletter).aggregate(
        listed=Count("pk"),
        queued=Count("pk", filter=Q(state=Recipient.State.QUEUED)),
        skipped=Count("pk", filter=Q(state=Recipient.State.SKIPPED)),
        delivered=Count("pk", filter=Q(email__state=OutgoingEmail.State.SENT)),
        failed=Count("pk", filter=Q(email__state=OutgoingEmail.State.FAILED)),
        unsure=Count("pk", filter=Q(email__state=OutgoingEmail.State.UNSURE)),
    )
    total = newsletter.recipient_count or counts["listed"]
    counts["total"] = total
    counts["percent"] = round(100 * counts["delivered"] / total) if total else 0
    return counts
