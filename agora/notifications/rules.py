"""Permission rules of notifications (registered when the app loads)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agora.permissions import ALLOWED, deny, rule


def _account(user):
    if not user.is_authenticated:
        return deny(_("Log in to continue."), reverse("account_login"), _("Log in"))
    if not user.is_active or user.is_deleted:
        return deny(_("This account is deactivated."))
    return ALLOWED


@rule("notifications.read")
def _read(user, notification):
    """Only the recipient reads or marks a notification."""
    decision = _account(user)
    if not decision:
        return decision
    if notification is None or notification.recipient_id != user.pk:
        return deny(_("This notification is not yours."))
    return ALLOWED


@rule("notifications.own")
def _own(user, organization):
    """One's own list and preferences (allowed even to a blocked member:
    they concern only the person)."""
    return _account(user)
