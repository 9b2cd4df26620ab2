"""Links between results and where they come from: ideas (proposals) and
budget projects. The link to projects exists only once the budgets
component has its Project model (Result.projects); everything here works
without it."""

from django.apps import apps

from agora.components.accountability.models import Result


def project_model():
    try:
        return apps.get_model("budgets", "Project")
    except LookupError:
        return None


def has_projects() -> bool:
    return any(field.name == "projects" for field in Result._meta.get_fields())


def project_ids_of_results(result_ids) -> list[int]:
    if not has_projects():
        return []
    through = Result._meta.get_field("projects").remote_field.through
    return list(through.objects.filter(result_id__in=result_ids).values_list("project_id", flat=True).distinct())


def source_filter(obj) -> dict | None:
    """The filter of the results that come from `obj` (an idea or a budget
    project), or None when `obj` is neither."""
    label = obj._meta.label_lower
    if label == "proposals.proposal":
        return {"proposals": obj}
    if label == "budgets.project" and has_projects():
        return {"projects": obj}
    return None
