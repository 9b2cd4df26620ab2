"""Who decides what an organization keeps of personal data: its administrators."""

from django.utils.translation import gettext_lazy as _

from agora.permissions import deny, is_organization_admin, rule


@rule("privacy.manage")
def _manage(user, organization):
    return is_organization_admin(user, organization) or deny(
        _("Only the organization's administrators can change how long personal data is kept.")
    )
