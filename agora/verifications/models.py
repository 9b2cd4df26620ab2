"""Verifications of who a participant is, and the eligibility rules of actions.

Evidence is minimal: identities are salted hashes (`Identity.key`, salt per
organization), census rows keep only the hash of the identifying columns and
the attributes needed for eligibility, scans are deleted after the decision.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agora.core.files import RandomName, UploadField, private_storage


def _new_salt():
    return secrets.token_hex(32)


class OrganizationSalt(models.Model):
    """The secret salt of an organization's identity keys: the same person
    gives different keys in two organizations."""

    organization = models.OneToOneField("core.Organization", on_delete=models.CASCADE, related_name="+")
    salt = models.CharField(max_length=64, default=_new_salt)


class EnabledMethod(models.Model):
    """A verification method an organization offers, with its options
    (census columns, OIDC provider id ...)."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="verification_methods")
    method = models.CharField(_("method"), max_length=32)
    options = models.JSONField(default=dict, blank=True)
    enabled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["organization", "method"], name="unique_enabled_method")]

    def __str__(self):
        return self.method


class Identity(models.Model):
    """One real person in an organization, known only by a salted hash. The
    unique constraint is what guarantees that one identity verifies one
    account, whatever the channel (online, desk, paper)."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="unique_identity_key")]


class Verification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Verified")
        CONFLICT = "conflict", _("Identity used by another account")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")

    LIVE = (Status.PENDING, Status.ACTIVE, Status.CONFLICT)

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications")
    method = models.CharField(_("method"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    identity = models.ForeignKey(
        Identity, on_delete=models.SET_NULL, null=True, blank=True, related_name="verifications"
    )
    # A key already held by another account: kept until an officer decides.
    conflict_key = models.CharField(max_length=64, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    scope = models.ForeignKey(
        "taxonomy.Scope", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    # Method data while pending (hashed codes, attempts, mailing address);
    # erased when the verification is decided.
    data = models.JSONField(default=dict, blank=True)
    document = UploadField(upload_to=RandomName("verifications/documents"), storage=private_storage, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "method"],
                condition=Q(status__in=["pending", "active", "conflict"]),
                name="one_live_verification_per_method",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status", "method"])]

    def __str__(self):
        return f"{self.method} · {self.user}"


class CensusEntry(models.Model):
    """One row of the census: the salted hash of the identifying columns and
    only the attributes eligibility needs."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    birth_date = models.DateField(null=True, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    scope = models.ForeignKey("taxonomy.Scope", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="unique_census_key")]


class CensusUpload(models.Model):
    """One census file sent by an officer: replace the census or add to it.
    The file waits in private storage while it is confirmed and imported by
    a background task (agora.verifications.census), then it is deleted; the
    row keeps the counts, the progress the page shows, and the lines to
    correct when the file was refused."""

    class Mode(models.TextChoices):
        REPLACE = "replace", _("Replace the census")
        ADD = "add", _("Add to the census")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for confirmation")
        QUEUED = "queued", _("Waiting to start")
        CHECKING = "checking", _("Checking the lines")
        WRITING = "writing", _("Saving the census")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused: nothing was changed")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.WRITING)

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    mode = models.CharField(_("what to do"), max_length=10, choices=Mode.choices, default=Mode.REPLACE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DONE)
    # Sent with the form: the same form sent twice is one upload.
    token = models.CharField(max_length=64, blank=True)
    file = UploadField(upload_to=RandomName("verifications/census"), storage=private_storage, blank=True)
    lines = models.PositiveIntegerField(default=0)  # lines of people in the file
    processed = models.PositiveIntegerField(default=0)  # lines checked so far
    census_before = models.PositiveIntegerField(default=0)  # people in the census when confirmed
    rows = models.PositiveIntegerField(default=0)  # people imported from the file
    added = models.PositiveIntegerField(default=0)  # of which new to the census
    errors = models.JSONField(default=list, blank=True)  # [[line, reason], ...]
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "token"], condition=~Q(token=""), name="unique_census_upload_token"
            ),
        ]

    def __str__(self):
        return f"census {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else "census"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.processed * 100 // self.lines) if self.lines else 0


class EligibilityRule(models.Model):
    """Who may do one action of one component: verification methods (any
    or all of them) and options on the verified attributes."""

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="eligibility_rules")
    action = models.CharField(max_length=40)
    methods = models.JSONField(default=list, blank=True)
    require_all = models.BooleanField(_("all the chosen methods are required"), default=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    postal_codes = models.JSONField(default=list, blank=True)
    match_scope = models.BooleanField(_("the district must match"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["component", "action"], name="unique_eligibility_rule"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=models.F("max_age")),
                name="eligibility_ages_in_order",
            ),
        ]

    @property
    def is_empty(self) -> bool:
        return not (
            self.methods
            or self.min_age is not None
            or self.max_age is not None
            or self.postal_codes
            or self.match_scope
        )
