"""Reads of notifications."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from agora import visitor
from agora.accounts.models import User
from agora.core.hiding import without_hidden_targets
from agora.core.models import Organization
from agora.notifications.models import Notification


def notifications_for(user: User, organization: Organization) -> QuerySet[Notification]:
    """The person's notifications, except those about content moderation hid
    since (they name it)."""
    return without_hidden_targets(
        Notification.objects.filter(recipient=user, organization=organization)
    ).select_related("actor")


def unread_count(user: User | AnonymousUser, organization: Organization | None) -> int:
    """For the menu: the visitor fact "notifications.unread" (agora.visitor)."""
    if not getattr(user, "is_authenticated", False) or organization is None:
        return 0
    return visitor.read(user, organization, "notifications.unread")


def unread_columns(user: User, organization: Organization, vendor: str) -> tuple[list[str], list[int]]:
    return [
        f"(SELECT COUNT(*) FROM {visitor.table(Notification)} n WHERE n.recipient_id = %s "
        f"AND n.organization_id = %s AND n.read_at IS NULL)"
    ], [user.pk, organization.pk]
