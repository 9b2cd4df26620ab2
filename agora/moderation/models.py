from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModerationSettings(models.Model):
    """Moderation settings of one organization (created on first use)."""

    organization = models.OneToOneField(
        "core.Organization", on_delete=models.CASCADE, related_name="moderation_settings"
    )
    hide_after_reports = models.PositiveIntegerField(
        _("hide content automatically after this number of reports"),
        default=3,
        help_text=_("0: never hide automatically; only moderators hide content."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("moderation settings")

    def __str__(self):
        return f"{self.organization} moderation"


class Moderation(models.Model):
    """Moderation state of one piece of reportable content: its reports and
    whether it is hidden. One row per content (created by the first report or
    by a moderator hiding it)."""

    class HiddenBy(models.TextChoices):
        REPORTS = "reports", _("Automatically, after reports")
        MODERATOR = "moderator", _("By a moderator")

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    # What moderators see even after the content changes or goes away.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    excerpt = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    # Reports since the last moderator decision: auto-hiding counts these.
    pending_count = models.PositiveIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True, db_index=True)
    hidden_by = models.CharField(max_length=10, choices=HiddenBy.choices, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="unique_moderation_per_content"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_by=""), name="moderation_hidden_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-updated_at"]),
            models.Index(fields=["space", "-updated_at"]),
        ]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_pending(self) -> bool:
        return self.hidden_at is None and self.pending_count > 0

    @property
    def content_object(self):
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first() if model else None


class Report(models.Model):
    """One person's report of one piece of content (once per person)."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFFENSIVE = "offensive", _("Offensive, hateful or abusive")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Other")

    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    details = models.TextField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["moderation", "reporter"], name="one_report_per_person"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.moderation})"


class PostingCounter(models.Model):
    """Posts of one kind by one person in one time window, for the posting
    limits (agora.moderation.limits). Rows, not process memory, so every app
    server counts the same; old windows are deleted as they are passed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    window_seconds = models.PositiveIntegerField()
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "window_seconds", "window_start"], name="unique_posting_window"
            ),
        ]


class SpentChallenge(models.Model):
    """A bot challenge (agora.moderation.challenges) whose solution was
    accepted: a second use of the same solution is refused. Kept until the
    challenge expires (deleted then, now and again, by the next check)."""

    nonce = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)
