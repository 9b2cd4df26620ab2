from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.desk.models import DeskAgent
from agora.desk.selectors import is_desk_agent
from agora.permissions import ALLOWED, deny, rule


@rule("desk.use")
def _use(user, organization):
    if not user.is_authenticated:
        return deny(_("Log in to continue."), reverse("account_login"), _("Log in"))
    if is_desk_agent(user, organization):
        return ALLOWED
    missing = permissions.staff_mfa_decision(user, organization)
    if not missing:  # perhaps an agent who must set up the second factor: say how
        if DeskAgent.objects.filter(organization=organization, user=user).exists():
            return missing
    return deny(_("Only desk agents can do this."))


@rule("verifications.record_in_person")
def _record_in_person(user, organization):
    """Recording a check of identity made in person (verifications' service) is
    the desk agents' work: the desk, which builds on verifications, says who they are."""
    if not user.is_authenticated:
        return deny(_("Log in to continue."))
    return is_desk_agent(user, organization) or deny(_("Only desk agents can record an in-person check."))


@rule("desk.manage_agents")
def _manage_agents(user, organization):
    return permissions.is_organization_admin(user, organization) or deny(
        _("Only the organization's administrators can do this.")
    )
