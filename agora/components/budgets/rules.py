"""Permission rules of the budgets component."""

from django.utils.translation import gettext as _

from agora.components.budgets.selectors import vote_state, voter_budget_ids
from agora.permissions import ALLOWED, can, component_action, deny, rule


@rule("budgets.vote")
def _vote(user, budget):
    """Vote (or change one's vote) in a budget: the component's common checks
    (visible, open phase, may take part, eligibility of the "vote" action for
    this budget's district), then the budget is one this person votes in."""
    component = budget.component
    state = vote_state(budget)  # the same answer as every page
    if state == "imported":
        return deny(_("This budget is a past edition imported for recounting: nobody votes in it."))
    if state == "published":
        return deny(_("The vote is over: the results are published."))
    decision = component_action(user, component, "vote", phase_setting="votes_enabled", resource=budget)
    if not decision:
        return decision
    mode = component.settings_of().budget_choice
    if mode == "all":
        return ALLOWED  # every budget of the component (imported ones are refused above)
    if budget.pk not in voter_budget_ids(component, user):
        if mode == "one":
            return deny(_("You already voted in another budget: each person votes in one budget."))
        if mode == "district":
            return deny(_("You vote in the budget of your district."))
        return deny(_("This budget is not the one you vote in."))
    return ALLOWED


@rule("budgets.manage")
def _manage(user, component):
    """Budgets, projects, paper ballots, imports, counting, publication, exports."""
    return can(user, "component.manage", component)
