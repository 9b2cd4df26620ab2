from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.permissions import ALLOWED, deny, rule


@rule("desk.use")
def _use(user, organization):
    from agora.desk.selectors import is_desk_agent

    if not user.is_authenticated:
        return deny(_("Log in to continue."), reverse("account_login"), _("Log in"))
    if is_desk_agent(user, organization):
        return ALLOWED
    missing = permissions.staff_mfa_decision(user, organization)
    if not missing:  # perhaps an agent who must set up the second factor: say how
        from agora.desk.models import DeskAgent

        if DeskAgent.objects.filter(organization=organization, user=user).exists():
            return missing
    return deny(_("Only desk agents can do this."))


@rule("desk.manage_agents")
def _manage_agents(user, organization):
    return permissions.is_organization_admin(user, organization) or deny(
        _("Only the organization's administrators can do this."))
