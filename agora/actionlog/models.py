from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionLog(models.Model):
    """One row per state change, written by the service that made it. The
    admin log, the public timeline and notifications read from here."""

    class Visibility(models.TextChoices):
        ADMIN = "admin", _("Back-office only")
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Actor and staff only")

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="action_logs")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verb = models.CharField(max_length=64)
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    space = models.ForeignKey("spaces.Space", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    component = models.ForeignKey(
        "components.Component", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.ADMIN)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["space", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.actor} {self.verb} {self.target_repr}"
