from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.notifications.events import get as get_event
from agora.notifications.links import safe_url


class Notification(models.Model):
    """Something happened that concerns the recipient. The target's text is
    copied when the notification is made (like the action log) so the list
    reads well even when the target is gone."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey("spaces.Space", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    event = models.CharField(max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for an e-mail (immediate or in the next digest); False once
    # mailed or when the person receives no e-mail.
    email_pending = models.BooleanField(default=False)
    # About the recipient themself (a reply, a mention, the answer to their idea):
    # e-mailed at once even to people who chose a digest.
    personal = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "organization", "-created_at"], name="notif_list_idx"),
            models.Index(
                fields=["recipient", "organization"], condition=Q(read_at__isnull=True), name="notif_unread_idx"
            ),
            models.Index(fields=["recipient"], condition=Q(email_pending=True), name="notif_email_pending_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def link(self) -> str:
        return safe_url(self.url)

    @property
    def message(self) -> str:
        """The one-line text (plain text: templates escape it)."""
        event = get_event(self.event)
        values = {key: str(value) for key, value in (self.data or {}).items() if isinstance(value, (str, int, float))}
        values["actor"] = self.actor.public_name if self.actor_id and self.actor else str(_("Someone"))
        values["target"] = self.target_repr
        template = str(event.message) if event and event.message else str(event.label if event else self.event)
        try:
            return template % values
        except (KeyError, ValueError, TypeError):
            return str(event.label if event else self.event)


class Preference(models.Model):
    """How a person hears about notifications in one organization."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("By e-mail, at once")
        DAILY = "daily", _("By e-mail, in a daily digest")
        WEEKLY = "weekly", _("By e-mail, in a weekly digest")
        NONE = "none", _("No e-mail (only on the site)")

    DEFAULT_FREQUENCY = Frequency.DAILY

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    email_frequency = models.CharField(
        _("e-mails"), max_length=12, choices=Frequency.choices, default=DEFAULT_FREQUENCY
    )
    # Events the person does not want at all (neither on the site nor by e-mail).
    muted_events = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_notification_preference"),
        ]
        indexes = [models.Index(fields=["organization", "email_frequency"], name="notif_pref_freq_idx")]

    def __str__(self):
        return f"{self.user_id} @ {self.organization_id}: {self.email_frequency}"
