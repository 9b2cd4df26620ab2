"""Permission rules of the back-office of ideas.

- "proposal_evaluation.manage" (component): answer, publish, bulk changes,
  states, custom fields, criteria, assignments, imports and exports — the
  space's administrators (component.manage).
- "proposal_evaluation.open" (component): open the evaluation screens — space
  administrators and the space's evaluators (core rule evaluation.access).
- "proposal_evaluation.evaluate" (proposal): fill the grid of this idea — an
  evaluator of the space assigned to it, or a space administrator.
- "proposal_evaluation.see" (proposal): see an idea in the back-office —
  administrators, or evaluators assigned to it."""

from django.utils.translation import gettext as _

from agora.components.proposals.evaluation.models import Assignment
from agora.permissions import ALLOWED, can, deny, rule


@rule("proposal_evaluation.manage")
def _manage(user, component):
    return can(user, "component.manage", component)


@rule("proposal_evaluation.open")
def _open(user, component):
    return can(user, "evaluation.access", component.space)


def _is_assigned(user, proposal) -> bool:
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_agora_assigned", {})
    if proposal.pk not in cache:
        cache[proposal.pk] = Assignment.objects.filter(proposal_id=proposal.pk, evaluator=user).exists()
    return cache[proposal.pk]


@rule("proposal_evaluation.see")
def _see(user, proposal):
    if proposal.is_draft:
        return deny(_("This idea is a draft."))
    if can(user, "component.manage", proposal.component):
        return ALLOWED
    access = can(user, "evaluation.access", proposal.component.space)
    if not access:
        return access
    if _is_assigned(user, proposal):
        return ALLOWED
    return deny(_("This idea is not assigned to you."))


@rule("proposal_evaluation.evaluate")
def _evaluate(user, proposal):
    return _see(user, proposal)
