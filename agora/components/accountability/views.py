from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.components.access import component_context, component_view
from agora.components.accountability import selectors
from agora.core import machine_translation
from agora.core.formats import number
from agora.core.translations import translated
from agora.web import sharing

GROUPINGS = ("category", "scope")


def _map_context(component, items):
    if not component.settings_of().show_map:
        return {}
    points = selectors.map_points(items)
    return (
        {
            "map_points": points,
            "map_tiles": {"url": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION},
        }
        if points
        else {}
    )


@component_view
def index(request):
    component = request.component
    group_by = request.GET.get("by")
    if group_by not in GROUPINGS:
        group_by = component.settings_of().group_by  # one of GROUPINGS (its choices)
    overall, groups, status_counts = selectors.overview(component, group_by)
    # The chart of the statuses (parts/chart.html): one bar per status, the count in words.
    status_rows = [
        (translated(status.name) if status else _("No status yet"), count, number(count))
        for status, count in status_counts.items()
    ]
    context = component_context(
        request,
        overall=overall,
        groups=groups,
        group_by=group_by,
        status_counts=status_counts,
        status_rows=status_rows,
        **_map_context(component, overall.results),
    )
    return render(request, "accountability/index.html", context)


@component_view
def detail(request, result_id):
    result = selectors.result_for(request.component, result_id)
    if result is None:
        raise Http404
    translated_texts = machine_translation.show(request, [result, *result.milestones.all()], ("title", "description"))
    context = component_context(
        request,
        result=result,
        **translated_texts,
        ideas=selectors.visible_ideas(result, request.user),
        projects=selectors.visible_projects(result, request.user),
        **_map_context(request.component, [result]),
        **sharing.share_context(
            request,
            title=translated(result.title),
            description=translated(result.description),
            url=result.get_absolute_url(),
            embed_url=reverse(
                "accountability:embed", kwargs={**request.component.url_kwargs(), "resource_id": result.pk}
            ),
        ),
    )
    return render(request, "accountability/detail.html", context)
