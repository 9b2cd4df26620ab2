"""Hooks of the pages manifest: statistics, export, open data, search, demo seed."""

from django.db.models import Count
from django.http import JsonResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.components.pages import seeds, selectors
from agora.components.pages.models import Page
from agora.core.translations import translated


def _pages(component):
    pages = list(selectors.pages_of(component))
    for page in pages:
        page.component = component  # get_absolute_url without a query per page
    return pages


def stats(component):
    return stats_many([component])[component.pk]


def stats_many(components):
    """The figures of many pages components, in one query."""
    ids = [component.pk for component in components]
    counts = dict(
        Page.objects.filter(component_id__in=ids)
        .order_by()
        .values_list("component_id")
        .annotate(n=Count("id"))
        .values_list("component_id", "n")
    )
    return {pk: [(_("Pages"), counts.get(pk, 0))] for pk in ids}


def export_json(component):
    pages = _pages(component) if component.is_public else []
    data = {
        "component": {"id": component.pk, "name": component.name, "url": component.get_absolute_url()},
        "pages": [
            {
                "slug": page.slug,
                "title": page.title,
                "body": page.body,
                "url": page.get_absolute_url(),
                "updated_at": page.updated_at.isoformat(),
            }
            for page in pages
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="pages-{component.pk}.json"'
    return response


def open_data_pages(component):
    """The pages of a public component (the manifest's open-data table "pages")."""
    if not component.is_public:
        return
    for page in _pages(component):
        yield {
            "id": page.pk,
            "slug": page.slug,
            "title": dict(page.title or {}),
            "body": dict(page.body or {}),
            "updated_at": page.updated_at.isoformat(),
            "url": page.get_absolute_url(),
        }


def search(component):
    if not component.is_public:
        return []
    return [
        (translated(page.title), strip_tags(translated(page.body)), page.get_absolute_url())
        for page in _pages(component)
    ]


def seed(component):
    seeds.seed(component)
