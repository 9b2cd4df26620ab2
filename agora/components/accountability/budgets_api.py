"""What the follow-up reads from the budgets component (imported only when
its Project model is installed)."""

from agora.components.accountability.links import project_model


def selected_projects(source):
    """The winning projects (`selected`) of the budgets of a budgets component."""
    return (project_model().objects.filter(budget__component=source, selected=True)
            .select_related("category", "scope", "budget").order_by("budget_id", "weight", "id"))


def result_fields_of(project, languages) -> dict:
    return {
        "title": dict(project.title or {}), "description": dict(project.description or {}),
        "category": project.category, "scope": project.scope, "address": project.address,
        "latitude": project.latitude, "longitude": project.longitude,
    }


def proposals_of(project) -> list:
    """The ideas the project came from: the result links to them too."""
    return list(project.proposals.all())
