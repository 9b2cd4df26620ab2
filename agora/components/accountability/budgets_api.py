"""What the follow-up reads from the budgets component (through its api.py)."""

from agora.components.budgets.api import project_outcomes as outcomes
from agora.components.budgets.api import projects_of_space as budget_projects_of_space
from agora.components.budgets.api import voter_ids_for_projects, winning_projects


def selected_projects(source):
    """The winning projects of the published counts of the budgets of a
    budgets component (asked to the budgets component: its published result is
    the one place winners are stored)."""
    return winning_projects(source).select_related("category", "scope", "budget").order_by("budget_id", "weight", "id")


def project_outcomes(project_ids) -> dict:
    """{project id: budgets.api.Outcome}: selected, not selected, or no published result."""
    return outcomes(project_ids)


def voter_ids_of_projects(project_ids) -> set[int]:
    """The people who voted for one of these projects (for notifications, never shown)."""
    return set(voter_ids_for_projects(project_ids))


def projects_of_space(space):
    """Every project of the space's budgets components, to link a result to (a queryset)."""
    return budget_projects_of_space(space).order_by("budget_id", "weight", "id")


def result_fields_of(project, languages) -> dict:
    return {
        "title": dict(project.title or {}),
        "description": dict(project.description or {}),
        "category": project.category,
        "scope": project.scope,
        "address": project.address,
        "latitude": project.latitude,
        "longitude": project.longitude,
    }


def proposals_of(project) -> list:
    """The ideas the project came from: the result links to them too."""
    return list(project.proposals.all())
