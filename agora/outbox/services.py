"""Writes of the outbox. `queue_email` is the one way Agora sends an e-mail;
`email_person` the one way to write one from templates (the language and the
sender chosen by the same rule for every e-mail).

Call it inside the transaction of the change the e-mail reports: the row
commits with the change or not at all. Delivery is queued in the same
transaction: with django-tasks-db the task row is part of it (the worker
sees it once committed); with the immediate backend (tests, the demo) the
e-mail is sent at once, so tests find it in `django.core.mail.outbox`."""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agora.actionlog.services import log_action
from agora.core.models import Organization
from agora.outbox import delivery
from agora.outbox.delivery import deliver_task
from agora.outbox.models import OutboxGuard, OutgoingEmail
from agora.permissions import require


def sender_for(organization: Organization | None) -> str:
    """One sender address per organization (a city sends as itself)."""
    return (getattr(organization, "sender_email", "") or "") or settings.DEFAULT_FROM_EMAIL


def deliverable(address: str) -> bool:
    """Whether mail can ever reach `address`. The .invalid top-level domain is
    reserved (RFC 2606) and never delivers: Agora gives it to accounts without
    an e-mail address (a person registered at a desk: managed.invalid; a deleted
    account: deleted.invalid). Nothing is queued for them, so nothing fails, and
    pages say "print the receipt" rather than "sent by e-mail"."""
    domain = (address or "").rpartition("@")[2].strip().lower().rstrip(".")
    return bool(domain) and domain != "invalid" and not domain.endswith(".invalid")


def new_key(kind: str) -> str:
    """A key for a one-off message whose row is written with the change it
    reports (the change cannot happen twice, so neither can the row)."""
    return f"{kind}:{uuid.uuid4().hex}"


def queue_email(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    organization: Organization | None = None,
    language: str = "",
    headers: dict | None = None,
    kind: str = "",
    deliver: bool = True,
) -> OutgoingEmail | None:
    """Queue one e-mail. A key already queued is the same message: nothing new
    is queued (a job run twice sends once). Returns the row, or None without
    a recipient or with one that cannot receive mail (`deliverable`).
    `deliver=False` leaves queueing the delivery to the caller
    (`schedule_delivery` once for many rows)."""
    if not to or not deliverable(to):
        return None
    sender = sender_for(organization)
    with transaction.atomic():
        row, created = OutgoingEmail.objects.get_or_create(
            key=key[:200],
            defaults={
                "kind": kind or key.split(":", 1)[0],
                "organization": organization,
                "recipient": to,
                "sender": sender,
                "subject": " ".join(subject.split())[:998],
                "body_text": text,
                "body_html": html,
                "headers": headers or {},
                "language": language,
                "next_attempt_at": timezone.now(),
                "message_id": OutgoingEmail.message_id_for(key, sender),
            },
        )
        if created and deliver:
            schedule_delivery([row.pk])
    return row


def queue_emails(
    messages: list[dict], *, organization: Organization | None = None, kind: str = "", at_most_once: bool = False
) -> dict[str, int]:
    """Queue many e-mails at once (a newsletter's batch): each message a dict
    of `queue_email`'s arguments (key, to, subject, text, html, language,
    headers). The same rules as `queue_email` (a key already queued is the
    same message, undeliverable addresses are left out), in a few statements.
    `at_most_once`: a message a crash may have left delivered or not is
    "possibly sent", never sent again by itself (see `delivery`).
    Returns {key: row id} of every message's row, new or already queued; the
    caller schedules their delivery (`schedule_delivery`) in its transaction."""
    sender = sender_for(organization)
    now = timezone.now()
    rows = [
        OutgoingEmail(
            key=message["key"][:200],
            kind=kind or message["key"].split(":", 1)[0],
            organization=organization,
            recipient=message["to"],
            sender=sender,
            subject=" ".join(message["subject"].split())[:998],
            body_text=message["text"],
            body_html=message.get("html", ""),
            headers=message.get("headers") or {},
            language=message.get("language", ""),
            next_attempt_at=now,
            message_id=OutgoingEmail.message_id_for(message["key"][:200], sender),
            at_most_once=at_most_once,
        )
        for message in messages
        if message.get("to") and deliverable(message["to"])
    ]
    with transaction.atomic():
        OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        return dict(OutgoingEmail.objects.filter(key__in=[row.key for row in rows]).values_list("key", "pk"))


def schedule_delivery(ids: Iterable[int]) -> None:
    """Queue the delivery task for these rows (in the caller's transaction)."""
    ids = list(ids)
    if ids:
        deliver_task.enqueue(ids)


# The ground layer does not import agora.accounts: a person is any user model.
def email_person(
    *,
    key: str,
    organization: Organization | None,
    person: AbstractBaseUser | None = None,
    to: str = "",
    subject_template: str,
    text_template: str,
    html_template: str = "",
    context: dict | None = None,
    reading: str = "",
    kind: str = "",
    headers: dict | None = None,
    deliver: bool = True,
) -> OutgoingEmail | None:
    """Write one e-mail from templates and queue it (`queue_email`): to `person`
    (their address, unless `to` gives one; nothing for a deleted or deactivated
    account), or to the address `to` alone (an invitation).

    Every e-mail Agora writes goes through here (allauth's, rendered by allauth,
    through `email_language` and `queue_message`), so they all choose alike:
    the language is `email_language` (the person's preferred language when the
    organization offers it, else `reading`, the language of the page that
    caused the e-mail, else the organization's default) and the sender is the
    organization's (`sender_for`). The templates see `organization`, `person`
    and `context`."""
    if person is not None and (getattr(person, "is_deleted", False) or not getattr(person, "is_active", True)):
        return None
    address = to or getattr(person, "email", "")
    if not address:
        return None
    language = email_language(organization, person, reading)
    context = {"organization": organization, "person": person, **(context or {})}
    with translation.override(language):
        subject = render_to_string(subject_template, context)
        text = render_to_string(text_template, context)
        html = render_to_string(html_template, context) if html_template else ""
    return queue_email(
        key=key,
        to=address,
        subject=subject,
        text=text,
        html=html,
        organization=organization,
        language=language,
        headers=headers,
        kind=kind,
        deliver=deliver,
    )


def email_language(organization: Organization | None, person: AbstractBaseUser | None = None, reading: str = "") -> str:
    """The language of an e-mail to `person` (None: an address without an
    account) about `organization`: see `Organization.language_for`; with no
    organization, `reading` or the platform's default."""
    if organization is None:
        return reading or settings.LANGUAGE_CODE
    return organization.language_for(person, reading=reading)


def queue_message(
    message: EmailMessage,
    *,
    key: str,
    organization: Organization | None = None,
    language: str = "",
    kind: str = "",
    deliver: bool = True,
) -> list[OutgoingEmail | None]:
    """Queue a rendered Django EmailMessage (allauth's e-mails): one row per
    recipient."""
    html = next((content for content, mimetype in getattr(message, "alternatives", ()) if mimetype == "text/html"), "")
    text, subject = str(message.body), str(message.subject)  # (lazy strings in Django's stubs)
    if getattr(message, "content_subtype", "plain") == "html" and not html:
        html, text = message.body, ""
    headers = {name: value for name, value in message.extra_headers.items() if name.lower() != "message-id"}
    rows = []
    for index, address in enumerate(message.to):
        rows.append(
            queue_email(
                key=f"{key}:{index}" if index else key,
                to=address,
                subject=subject,
                text=text,
                html=html,
                organization=organization,
                language=language,
                headers=headers,
                kind=kind,
                deliver=deliver,
            )
        )
    return rows


# --- officers ------------------------------------------------------------------------


RETRYABLE = (OutgoingEmail.State.FAILED, OutgoingEmail.State.HELD, OutgoingEmail.State.UNSURE)


def retry(*, actor: AbstractBaseUser, email: OutgoingEmail, organization: Organization | None = None) -> OutgoingEmail:
    """Send a failed (or held) e-mail again, now. The action is logged in the
    e-mail's organization (or `organization`, the back-office it was done in,
    for an e-mail of no organization)."""
    require(actor, "outbox.manage", email.organization)
    with transaction.atomic():
        row = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
        if row.state not in RETRYABLE:
            raise ValidationError(_("This e-mail is not waiting for a retry."), code="not_failed")
        row.state, row.next_attempt_at, row.lease_until, row.claim_token, row.handed_at = (
            OutgoingEmail.State.PENDING,
            timezone.now(),
            None,
            "",
            None,
        )
        # A fresh allowance of attempts: the officer fixed what made it fail.
        row.attempts = 0
        row.save(update_fields=["state", "next_attempt_at", "lease_until", "claim_token", "handed_at", "attempts"])
        if row.organization_id or organization is not None:
            log_action(
                actor=actor,
                verb="outbox.retried",
                target=row,
                organization=row.organization or organization,
                data={"kind": row.kind, "recipient": row.recipient, "last_error": row.last_error[:200]},
            )
        schedule_delivery([row.pk])
    return row


def send_possibly_sent_again(rows: QuerySet[OutgoingEmail], *, chunk: int = 50) -> int:
    """Send again the "possibly sent" e-mails among `rows`: an officer's
    decision, knowing that some of these people received the first copy. The
    caller checked the officer's right and logs the action (a newsletter's
    page: `newsletters.services.resend_possibly_sent`). Returns how many."""
    with transaction.atomic():
        ids = list(
            rows.filter(state=OutgoingEmail.State.UNSURE)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        OutgoingEmail.objects.filter(pk__in=ids).update(
            state=OutgoingEmail.State.PENDING,
            next_attempt_at=timezone.now(),
            lease_until=None,
            claim_token="",
            handed_at=None,
            attempts=0,
        )
        for start in range(0, len(ids), chunk):
            schedule_delivery(ids[start : start + chunk])
    return len(ids)


def release(*, send_held: bool, actor: AbstractBaseUser | None = None, organization: Organization | None = None) -> int:
    """Lift the hold set after a restore: held rows are sent (`send_held`) or
    cancelled, and the current database becomes the one the outbox runs on.
    Returns the number of held rows. From the back-office (`actor`): platform
    admins only, logged in `organization` (the back-office it was done in);
    `manage.py release_outbox` calls it without an actor."""
    if actor is not None:
        require(actor, "outbox.release")
    with transaction.atomic():
        delivery.guard()
        held = OutgoingEmail.objects.filter(state=OutgoingEmail.State.HELD)
        if send_held:
            count = held.update(state=OutgoingEmail.State.PENDING, next_attempt_at=timezone.now())
        else:
            count = held.update(
                state=OutgoingEmail.State.CANCELLED, last_error="cancelled when the outbox was released after a restore"
            )
        OutboxGuard.objects.filter(pk=1).update(
            held=False, held_at=None, reason="", fingerprint=delivery.database_fingerprint()
        )
        if actor is not None and organization is not None:
            log_action(
                actor=actor,
                verb="outbox.released",
                target=None,
                organization=organization,
                data={"held": count, "sent": bool(send_held)},
            )
    return count
