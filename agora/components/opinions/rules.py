"""Permission rules of the opinion maps (registered in apps.ready)."""

from django.utils.translation import gettext as _

from agora.permissions import can, component_action, deny, rule


@rule("opinions.vote")
def _vote(user, component):
    """Vote agree, disagree or pass on the statements, while the phase opens votes
    (then the common checks and the eligibility rules of "vote")."""
    return component_action(user, component, "vote", phase_setting="votes_enabled")


@rule("opinions.propose")
def _propose(user, component):
    """Add a statement: when the component lets participants add statements and the
    phase opens it (then the eligibility rules of "propose")."""
    if not component.settings_of().participant_statements:
        return deny(_("Only the organization adds statements here."))
    return component_action(user, component, "propose", phase_setting="statements_enabled")


@rule("opinions.report")
def _report(user, component):
    """The officers' report (groups, consensus, divisive statements, votes over time)."""
    if not user.is_authenticated:
        return can(user, "participate", component.space.organization)  # the way to log in
    return can(user, "component.manage", component)


@rule("opinions.manage")
def _manage(user, component):
    """The question, the seeded statements, moderation, import and export."""
    return can(user, "component.manage", component)
