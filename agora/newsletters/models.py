"""Newsletters of an organization: composed of blocks, sent to an audience of
people who accepted them (accounts.Membership.newsletter_consent_at), one
`Recipient` row per person (unique), each e-mail an outbox row."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agora.core.files import ImageUploadField, RandomName
from agora.core.images import picture, variant_name
from agora.core.translations import TranslatedField, translated


class Newsletter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="newsletters")
    subject = TranslatedField(_("subject"))
    # Who receives it, always among the people who accepted the newsletter
    # (agora.newsletters.audiences reads it; the services clean it).
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Recipients are listed once, when the sending starts (then the count is fixed).
    recipients_listed = models.BooleanField(default=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # Moved by each batch: a sending whose heartbeat is old lost its worker (send_newsletters resumes it).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        indexes = [models.Index(fields=["organization", "status", "-sent_at"], name="newsletter_org_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="scheduled") | models.Q(scheduled_for__isnull=False),
                name="newsletter_scheduled_has_date",
            ),
        ]

    def __str__(self):
        return translated(self.subject)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def get_absolute_url(self):
        return reverse("newsletters:detail", kwargs={"newsletter_id": self.pk})


class Block(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        IMAGE = "image", _("Image")
        BUTTON = "button", _("Call-to-action button")
        SPACES = "spaces", _("Open processes")
        UPCOMING = "upcoming", _("Upcoming events")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(_("kind of block"), max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    # Text: formatted text (HTML sanitized by the services); button: its label; spaces: a heading.
    text = TranslatedField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    image = ImageUploadField(_("image"), upload_to=RandomName("newsletters"), blank=True)
    image_alt = TranslatedField(_("image description"))
    image_variants = models.JSONField(default=dict, blank=True)
    spaces = models.ManyToManyField("spaces.Space", blank=True, related_name="+", verbose_name=_("processes"))
    # Upcoming: what the officer picked among the components' upcoming items (their manifests'
    # `upcoming` hook), kept as it was then: [{"key", "title": {language: text}, "starts_at", "url"}].
    items = models.JSONField(default=list, blank=True)

    PICTURES: list[tuple[str, str, dict]] = [("image", "image_variants", {})]

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return str(self.get_kind_display())

    def picture(self, *, wanted: int = 640):
        if not self.image:
            return None
        storage, name = self.image.storage, str(self.image.name)
        return picture(
            self.image_variants,
            lambda width: storage.url(variant_name(name, width) if width else name),
            alt=translated(self.image_alt),
            wanted=wanted,
        )


class Recipient(models.Model):
    """One person a newsletter is sent to: at most once (the unique constraint;
    the outbox row's key is derived from it too)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        QUEUED = "queued", _("Handed to the outbox")
        SKIPPED = "skipped", _("Skipped (unsubscribed meanwhile)")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    email = models.ForeignKey(
        "outbox.OutgoingEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newsletter", "user"], name="one_newsletter_per_recipient")]
        indexes = [models.Index(fields=["newsletter", "state"], name="newsletter_recipient_state_idx")]
