"""Staff personal access tokens of the public API (docs/api.md, "Tokens").

A token is shown once when it is created; only the SHA-256 of it is kept, so a
copy of the database gives nobody a working token. A token acts as its owner
(every write endpoint asks agora.permissions about the owner) within its scopes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    # sha256 of the token, hexadecimal: tokens are random (256 bits), so a fast hash is enough.
    digest = models.CharField(max_length=64, unique=True)
    # The first characters of the token, to recognise it in the list ("agora_Xy3…").
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "user"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RateCount(models.Model):
    """Requests of one address in one minute (agora.api.middleware): one atomic
    upsert per request, shared by every app server; old minutes are removed as
    new ones start."""

    address = models.CharField(max_length=64)
    minute = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address", "minute"], name="api_ratecount_once")]
        indexes = [models.Index(fields=["minute"])]
