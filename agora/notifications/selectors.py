"""Reads of notifications."""

from agora.core.hiding import without_hidden_targets
from agora.notifications.models import Notification


def notifications_for(user, organization):
    """The person's notifications, except those about content moderation hid
    since (they name it)."""
    return without_hidden_targets(Notification.objects.filter(recipient=user, organization=organization)
                                  ).select_related("actor")


def unread_count(user, organization) -> int:
    if not getattr(user, "is_authenticated", False) or organization is None:
        return 0
    return Notification.objects.filter(recipient=user, organization=organization, read_at__isnull=True).count()
