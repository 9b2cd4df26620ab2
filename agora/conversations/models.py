from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 2000


def max_participants() -> int:
    """Size limit of a group conversation, the sender included."""
    return int(getattr(settings, "AGORA_CONVERSATION_MAX_PARTICIPANTS", 10))


class Conversation(models.Model):
    """A private conversation between two people or a small group, within
    one organization. Only its participants read it (staff included)."""

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]

    def __str__(self):
        # Appears in the admin action log: no names, no text.
        return f"Conversation #{self.pk}"

    def get_absolute_url(self):
        return reverse("conversations:detail", args=[self.pk])


class Participant(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="unique_conversation_participant"),
        ]
        indexes = [models.Index(fields=["user", "left_at"])]

    def __str__(self):
        return f"{self.user} in {self.conversation}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    # Accounts are never removed (deleted ones are anonymised), so messages
    # of a deleted participant stay, shown as "Deleted participant".
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_not_empty"),
        ]

    def __str__(self):
        return f"Message #{self.pk}"


class MessagingPreference(models.Model):
    """Who may start a conversation with the person (installation-wide)."""

    class AcceptFrom(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        KNOWN = "known", _("Only people I already have a conversation with")
        NOBODY = "nobody", _("Nobody")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accept_from = models.CharField(
        _("who can start a conversation with me"),
        max_length=10,
        choices=AcceptFrom.choices,
        default=AcceptFrom.EVERYONE,
    )

    def __str__(self):
        return f"{self.user}: {self.accept_from}"


class PersonBlock(models.Model):
    """`blocker` refuses any message from `blocked` (installation-wide)."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="unique_person_block"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="person_block_not_self"),
        ]

    def __str__(self):
        return f"{self.blocker} blocks {self.blocked}"
