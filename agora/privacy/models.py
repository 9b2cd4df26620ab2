"""A person's own data (GDPR): the zips of "download my data", and what an
organization chose for the personal data it keeps (inactive accounts, the
retention of verification records)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataExport(models.Model):
    """A zip of everything Agora stores about a person, prepared by the worker,
    downloadable by that person alone (after re-authenticating) until
    `expires_at`, then removed (`manage.py privacy_tick`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        REMOVED = "removed", _("Removed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The site where it was asked: the e-mail's sender and link.
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    name = models.CharField(max_length=500, blank=True)  # in the private storage
    size = models.PositiveBigIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="privacy_one_export_prepared_at_a_time"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.requested_at:%Y-%m-%d}"


class PrivacySettings(models.Model):
    """An organization's choices about the personal data it keeps. A table of its own,
    one row per organization made when first saved: unsaved, everything is off."""

    organization = models.OneToOneField("core.Organization", on_delete=models.CASCADE, related_name="+")
    inactive_days = models.PositiveIntegerField(
        _("delete accounts inactive for (days)"),
        default=0,
        help_text=_(
            "0: never. Otherwise an account nobody logged in to for this many days is deleted, after warnings by "
            "e-mail 30 and 7 days before. At least 60 days."
        ),
    )
    verification_retention_days = models.PositiveIntegerField(
        _("keep the data of verifications for (days)"),
        default=0,
        help_text=_(
            "0: as long as the account. Otherwise, this many days after an officer's or the system's decision, the "
            "documents, letters and codes of a verification are erased; birth date and postal code stay while the "
            "verification is granted (the eligibility rules read them), and go too when it was refused or revoked."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.organization_id}"


class InactivityWarning(models.Model):
    """A warning e-mailed before an inactive account is deleted: one per person,
    organization, stage (30 or 7 days) and period of inactivity (the last login it
    was computed from), so that a warning is never sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    last_seen = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "days_before", "last_seen"], name="privacy_one_warning_per_stage"
            )
        ]
