"""Permission rules of moderation (registered when the app loads).
"moderation.manage" (a space's admins and moderators) lives in agora.permissions."""

from django.utils.translation import gettext as _

from agora.moderation.models import Moderation
from agora.moderation.registry import adapter_for
from agora.permissions import ALLOWED, can, deny, is_organization_admin, roles_in, rule
from agora.spaces.models import Role


@rule("moderation.report")
def _report(user, obj):
    """Report a piece of content: a participant who can see it, not its author."""
    adapter = adapter_for(obj)
    if adapter is None:
        return deny(_("This content cannot be reported."))
    decision = can(user, "participate", adapter.organization(obj))
    if not decision:
        return decision
    if not adapter.can_view(user, obj):
        return deny(_("This content cannot be reported."))
    author = adapter.author(obj)
    if author is not None and author.pk == user.pk:
        return deny(_("You cannot report your own contribution."))
    return ALLOWED


@rule("moderation.organization")
def _organization(user, organization):
    """The organization-wide queue and the moderation settings."""
    return is_organization_admin(user, organization) or deny(_("Only the organization's administrators can do this."))


@rule("moderation.decide")
def _decide(user, moderation):
    """Hide or unhide one piece of content: the moderators and admins of its
    space (organization admins for content outside spaces)."""
    if moderation.space_id is not None:
        return can(user, "moderation.manage", moderation.space)
    return _organization(user, moderation.organization)


def _moderates_a_space_of(user, organization) -> set[int]:
    return {
        space_id
        for name, space_id in roles_in(user, organization)
        if space_id is not None and name in (Role.Name.MODERATOR, Role.Name.SPACE_ADMIN)
    }


@rule("moderation.block")
def _block(user, membership):
    """Block or unblock a participant of an organization (target: their
    Membership): organization admins, or the moderators and admins of a space
    where the person's content was reported or hidden. Nobody blocks
    themselves or an organization admin."""
    organization = membership.organization
    if not user.is_authenticated:
        return deny(_("Log in to continue."))
    if membership.user_id == user.pk:
        return deny(_("You cannot block yourself."))
    if is_organization_admin(membership.user, organization):
        return deny(_("An administrator of the organization cannot be blocked."))
    if is_organization_admin(user, organization):
        return ALLOWED
    spaces = _moderates_a_space_of(user, organization)
    if (
        spaces
        and Moderation.objects.filter(
            organization=organization, author_id=membership.user_id, space_id__in=spaces
        ).exists()
    ):
        return ALLOWED
    return deny(
        _(
            "Only the organization's administrators and the moderators of a space where this person's "
            "content was reported can block them."
        )
    )
