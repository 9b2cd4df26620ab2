"""Who sees participation statistics: the organization's administrators see
every dashboard and set the reference population and the public figures; a
space's administrators see the dashboards of their space and its components.
Other staff (moderators, evaluators, collaborators) do not."""

from django.utils.translation import gettext_lazy as _

from agora.permissions import ALLOWED, deny, is_organization_admin, rule, space_roles


@rule("statistics.view")
def _statistics_view(user, target):
    """`target`: the organization, a space or a component."""
    if not user.is_authenticated:
        return deny(_("Log in to continue."))
    space = getattr(target, "space", None) or (target if hasattr(target, "organization_id") else None)
    if space is None:
        if is_organization_admin(user, target):
            return ALLOWED
        return deny(_("Only the organization's administrators can see its statistics."))
    if is_organization_admin(user, space.organization) or "space_admin" in space_roles(user, space):
        return ALLOWED
    return deny(_("Only this space's administrators can see its statistics."))


@rule("statistics.manage")
def _statistics_manage(user, organization):
    if is_organization_admin(user, organization):
        return ALLOWED
    return deny(_("Only the organization's administrators can do this."))
