"""Permission rules the back-office adds to agora.permissions (imported from
BackofficeConfig.ready)."""

from django.utils.translation import gettext as _

from agora.permissions import _roles, deny, is_organization_admin, rule


@rule("actionlog.browse")
def _actionlog_browse(user, organization):
    """The log screen: organization admins (whole organization) and space
    admins (their spaces)."""
    if is_organization_admin(user, organization):
        return True
    if any(name == "space_admin" for name, _space in _roles(user, organization)):
        return True
    return deny(_("Only administrators can see the action log."))
