from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.permissions import ALLOWED, deny, rule


@rule("verifications.manage")
def _manage(user, organization):
    return permissions.is_organization_admin(user, organization) or deny(
        _("Only the organization's administrators can manage verifications.")
    )


@rule("verifications.eligibility")
def _eligibility(user, component):
    return permissions.can(user, "component.manage", component)


@rule("verifications.verify")
def _verify(user, organization):
    if not user.is_authenticated:
        return deny(_("Log in to verify your account."), reverse("account_login"), _("Log in"))
    if not user.is_active or user.is_deleted:
        return deny(_("This account is deactivated."))
    return ALLOWED
