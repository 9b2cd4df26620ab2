from django.conf import settings
from django.db import models

# Managed participants have no e-mail: their account holds a placeholder
# address under this reserved domain (never delivered) and no EmailAddress row.
MANAGED_EMAIL_DOMAIN = "managed.invalid"


class DeskAgent(models.Model):
    """Staff who may create managed participants and act for them at a desk.
    The organization's administrators are desk agents without a row."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="desk_agents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="unique_desk_agent")]

    def __str__(self):
        return str(self.user)


class ManagedParticipant(models.Model):
    """A person who takes part with help at a desk (no e-mail, no computer)."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(self.user)

    @property
    def is_claimed(self) -> bool:
        """The person confirmed a real e-mail address (through allauth)."""
        return not self.user.email.endswith("@" + MANAGED_EMAIL_DOMAIN)
