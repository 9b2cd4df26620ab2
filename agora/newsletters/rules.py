"""Who manages newsletters: the organization's administrators (a newsletter
speaks for the whole organization; space administrators, moderators,
collaborators and evaluators may not)."""

from django.utils.translation import gettext_lazy as _

from agora.permissions import deny, is_organization_admin, rule


@rule("newsletters.manage")
def _manage(user, target):
    organization = getattr(target, "organization", target)  # a newsletter or the organization
    return is_organization_admin(user, organization) or deny(
        _("Only the organization's administrators can manage newsletters.")
    )
