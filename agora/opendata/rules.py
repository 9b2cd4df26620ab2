"""Who manages open data: the organization's administrators (the licence speaks
for the whole organization)."""

from django.utils.translation import gettext_lazy as _

from agora.permissions import deny, is_organization_admin, rule


@rule("opendata.manage")
def _manage(user, organization):
    return is_organization_admin(user, organization) or deny(
        _("Only the organization's administrators can manage the open data.")
    )
