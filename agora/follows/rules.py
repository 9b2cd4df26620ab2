"""Permission rules of follows (registered when the app loads)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.follows.context import place_of
from agora.permissions import ALLOWED, can, deny, rule


def _account_decision(user):
    if not user.is_authenticated:
        return deny(_("Log in to follow."), reverse("account_login"), _("Log in"))
    if not user.is_active or user.is_deleted:
        return deny(_("This account is deactivated."))
    return ALLOWED


@rule("follows.follow")
def _follow(user, context):
    """`context` is (target, organization). The person takes part in the
    organization (logged in, e-mail confirmed, terms accepted, not blocked)
    and may see the target."""
    target, organization = context
    decision = _account_decision(user)
    if not decision:
        return decision
    if organization is not None:
        decision = can(user, "participate", organization)
        if not decision:
            return decision
    if isinstance(target, User):
        if target.pk == user.pk:
            return deny(_("You cannot follow yourself."))
        if target.is_deleted or not target.is_active:
            return deny(_("This account no longer exists."))
        return ALLOWED
    place = place_of(target)
    if organization is not None and place.organization_id not in (None, organization.pk):
        return deny(_("This page does not exist."))
    if place.component is not None:
        return can(user, "component.view", place.component)
    if place.space is not None:
        return can(user, "space.view", place.space)
    return ALLOWED


@rule("follows.unfollow")
def _unfollow(user, context):
    # Stopping is always possible for the account itself, even when blocked.
    return _account_decision(user)
