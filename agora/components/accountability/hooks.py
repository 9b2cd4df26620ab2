"""Hooks of the follow-up manifest: statistics, exports, search, demo seed."""

from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.components.accountability import csv_io, seeds, selectors
from agora.components.accountability.models import Milestone, Result
from agora.core.translations import translated


def stats(component):
    return stats_many([component])[component.pk]


def stats_many(components):
    """The figures of many follow-up components, in three queries whatever
    their number: the results' counts, the progress of the top-level results
    (their mean is computed here, as `selectors.mean` does for one), the
    milestones."""
    ids = [component.pk for component in components]
    counts = {
        row["component_id"]: row
        for row in Result.objects.filter(component_id__in=ids)
        .order_by()
        .values("component_id")
        .annotate(total=Count("id"), completed=Count("id", filter=Q(progress=100)))
    }
    progress: dict[int, list] = {}
    for component_id, value in (
        Result.objects.filter(component_id__in=ids, parent__isnull=True)
        .order_by()
        .values_list("component_id", "progress")
    ):
        progress.setdefault(component_id, []).append(value)
    milestones = dict(
        Milestone.objects.filter(result__component_id__in=ids)
        .order_by()
        .values_list("result__component_id")
        .annotate(n=Count("id"))
        .values_list("result__component_id", "n")
    )
    return {
        pk: [
            (_("Results"), counts.get(pk, {}).get("total", 0)),
            (_("Completed results"), counts.get(pk, {}).get("completed", 0)),
            (_("Overall progress (%)"), selectors.mean(progress.get(pk, []))),
            (_("Milestones"), milestones.get(pk, 0)),
        ]
        for pk in ids
    }


def export_csv(component):
    """Public results only (the export knows nothing of who asks)."""
    text = csv_io.export_csv(component) if component.is_public else csv_io.export_csv_header()
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-{component.pk}.csv"'
    return response


def export_json(component):
    data = {
        "component": {"id": component.pk, "name": component.name, "url": component.get_absolute_url()},
        "results": [
            {
                "id": result.pk,
                "parent_id": result.parent_id,
                "reference": result.reference,
                "title": result.title,
                "description": result.description,
                "status": {"code": result.status.token, "name": result.status.name} if result.status else None,
                "progress": float(result.progress),
                "start_date": result.start_date.isoformat() if result.start_date else None,
                "end_date": result.end_date.isoformat() if result.end_date else None,
                "category_id": result.category_id,
                "scope_id": result.scope_id,
                "address": result.address,
                "latitude": float(result.latitude) if result.latitude is not None else None,
                "longitude": float(result.longitude) if result.longitude is not None else None,
                "idea_ids": [idea.pk for idea in result.proposals.all()],
                "url": result.get_absolute_url(),
            }
            for result in selectors.public_results(component)
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="results-{component.pk}.json"'
    return response


def open_data_results(component):
    """The results of a public follow-up component (open-data table "results"). A
    query per relation, whatever the number of results."""
    items = selectors.public_results(component)
    through = Result.projects.through
    projects: dict[int, list[int]] = {}
    for result_id, project_id in (
        through.objects.filter(result__in=[item.pk for item in items])
        .order_by("project_id")
        .values_list("result_id", "project_id")
    ):
        projects.setdefault(result_id, []).append(project_id)
    for result in items:
        yield {
            "id": result.pk,
            "parent_id": result.parent_id,
            "reference": result.reference,
            "title": dict(result.title or {}),
            "description": dict(result.description or {}),
            "status": result.status.token if result.status else None,
            "status_name": dict(result.status.name or {}) if result.status else None,
            "progress": float(result.progress),
            "start_date": result.start_date.isoformat() if result.start_date else None,
            "end_date": result.end_date.isoformat() if result.end_date else None,
            "category": translated(result.category.name) if result.category_id else None,
            "scope": translated(result.scope.name) if result.scope_id else None,
            "address": result.address,
            "latitude": float(result.latitude) if result.latitude is not None else None,
            "longitude": float(result.longitude) if result.longitude is not None else None,
            "idea_ids": [idea.pk for idea in result.proposals.all()],
            "project_ids": projects.get(result.pk, []),
            "url": result.get_absolute_url(),
        }


def open_data_milestones(component):
    """The milestones of the results of a public follow-up component (open-data table
    "milestones"): the public fields of the timeline (date, title, text), in the
    results' order, one query; the photos stay on the site (their files are not
    in the zip)."""
    if not component.is_public:
        return
    for milestone in selectors.public_milestones_of([component.pk]).order_by("result_id", "date", "id").iterator():
        milestone.result.component = component
        yield {
            "id": milestone.pk,
            "result_id": milestone.result_id,
            "date": milestone.date.isoformat(),
            "title": dict(milestone.title or {}),
            "description": dict(milestone.description or {}),
            "url": milestone.result.get_absolute_url(),
        }


def search(component):
    return [
        (translated(result.title), strip_tags(translated(result.description)), result.get_absolute_url())
        for result in selectors.public_results(component)
    ]


def seed(component):
    seeds.seed(component)
