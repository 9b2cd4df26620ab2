"""What other components read from the budgets component (the follow-up reads
the winners here). Winners are never a column of their own: they are the
published count (`Budget.result["selected"]`, `Budget.winner_ids()`), so what
the follow-up offers and flags is always what the results page shows."""

from dataclasses import dataclass
from datetime import datetime

from agora.components.budgets.models import Budget, Project
from agora.components.budgets.selectors import voter_ids_for_projects  # noqa: F401 (the follow-up notifies them)

SELECTED = "selected"
NOT_SELECTED = "not_selected"  # the published count does not select it (dropped, or never a winner)
UNPUBLISHED = "unpublished"  # its budget has no published result (not yet, or withdrawn)


@dataclass(frozen=True)
class Outcome:
    state: str
    budget_id: int
    published_at: datetime | None


def winning_project_ids(component) -> list[int]:
    """The winners of every published budget of a budgets component, budget by budget."""
    ids = []
    for budget in (
        Budget.objects.filter(component=component, results_published_at__isnull=False)
        .order_by("weight", "id")
        .only("id", "result", "results_published_at")
    ):
        ids.extend(budget.winner_ids())
    return ids


def winning_projects(component):
    """The winning projects of a budgets component (a queryset)."""
    return Project.objects.filter(budget__component=component, pk__in=winning_project_ids(component))


def projects_of_space(space):
    """Every project of the space's budgets components (a queryset)."""
    return Project.objects.filter(component__space=space)


def project_outcomes(project_ids) -> dict[int, Outcome]:
    """Where each project stands in its budget's published count. Two queries."""
    budget_of = dict(Project.objects.filter(pk__in=list(project_ids)).values_list("id", "budget_id"))
    budgets = {
        budget.pk: budget
        for budget in Budget.objects.filter(pk__in=set(budget_of.values())).only("id", "result", "results_published_at")
    }
    outcomes = {}
    for project_id, budget_id in budget_of.items():
        budget = budgets[budget_id]
        if not budget.results_published:
            state = UNPUBLISHED
        else:
            state = SELECTED if project_id in budget.winner_ids() else NOT_SELECTED
        outcomes[project_id] = Outcome(state, budget_id, budget.results_published_at)
    return outcomes
