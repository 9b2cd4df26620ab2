"""The outbox: every e-mail Agora sends is first a row here, written in the
transaction of the change it reports (see docs/architecture.md, "E-mails")."""

import hashlib
from email.utils import parseaddr

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held after a restore")
        CANCELLED = "cancelled", _("Cancelled")
        # Handed to the relay by a worker that died before it could record the answer
        # (an at-most-once e-mail, a newsletter's): perhaps received, never sent again by itself.
        UNSURE = "unsure", _("Possibly sent")

    # One message, one key: a second queue_email() with the same key is the same
    # message (a job run twice), never a second e-mail.
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    organization = models.ForeignKey(
        "core.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="outgoing_emails"
    )
    recipient = models.CharField(_("recipient"), max_length=254)
    sender = models.CharField(_("sender"), max_length=320)
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255)

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    # Committed just before the message is handed to the relay, cleared by the
    # relay's answer: a row still "sending" with it set when its lease expires
    # was perhaps accepted (the worker died before recording the answer).
    handed_at = models.DateTimeField(_("handed to the relay at"), null=True, blank=True)
    # Such a row is sent again by itself (at least once: receipts, account
    # e-mails), or, at most once (newsletters), set aside as "possibly sent"
    # for an officer to send again.
    at_most_once = models.BooleanField(_("at most once"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["organization", "state"], name="outbox_org_state_idx"),
        ]

    def __str__(self):
        return f"{self.kind or 'e-mail'} to {self.recipient} ({self.state})"

    @staticmethod
    def message_id_for(key: str, sender: str) -> str:
        """A Message-ID derived from the idempotency key: the same message
        always carries the same id, so a receiving server (or an officer
        reading relay logs) can recognise a second copy."""
        domain = parseaddr(sender)[1].rpartition("@")[2] or "agora.invalid"
        return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


class OutboxGuard(models.Model):
    """One row (pk=1). `fingerprint` names the database the outbox was last
    released on; when the current database answers another one (restored
    from a dump, a point-in-time recovery, a promoted replica), nothing is
    sent until an officer releases the outbox (`manage.py release_outbox`)."""

    fingerprint = models.CharField(max_length=200, blank=True)
    held = models.BooleanField(default=False)
    held_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
