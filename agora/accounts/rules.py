"""Permission rules of the accounts app (registered when the app loads)."""

from django.utils.translation import gettext as _

from agora.accounts.models import Membership
from agora.permissions import ALLOWED, deny, is_organization_admin, rule


@rule("account.edit")
def _account_edit(user, person):
    """Only the person changes or deletes their own account."""
    if not user.is_authenticated:
        return deny(_("Log in to continue."))
    if not user.is_active or user.is_deleted:
        return deny(_("This account is deactivated."))
    if person is None or person.pk != user.pk:
        return deny(_("You can only change your own account."))
    return ALLOWED


@rule("organization.join")
def _organization_join(user, organization):
    """Becoming a participant of an organization (accepting its terms for the
    first time). Organizations with registration by invitation or closed only
    take people who already belong to them."""
    if not user.is_authenticated:
        return deny(_("Log in or create an account to take part."))
    if not user.is_active or user.is_deleted:
        return deny(_("This account is deactivated."))
    if organization.registration_mode == organization.Registration.OPEN:
        return ALLOWED

    if Membership.objects.filter(user=user, organization=organization).exists():
        return ALLOWED
    if is_organization_admin(user, organization):
        return ALLOWED
    if organization.registration_mode == organization.Registration.INVITATION:
        return deny(_("Taking part in this organization is by invitation only."))
    return deny(_("This organization does not accept new participants."))
