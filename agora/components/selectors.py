"""Reads of components shared by every component type."""

from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.utils.module_loading import import_string

from agora import permissions
from agora.accounts.models import User
from agora.components.models import Component
from agora.components.registry import registry
from agora.core.attention import Item
from agora.core.models import Organization
from agora.core.translations import translated
from agora.spaces.selectors import searchable_spaces


def stats_of(components: Iterable[Component]) -> dict[int, list[tuple[Any, Any]]]:
    """{component id: its figures, [(label, number)]} from the manifests'
    statistics hooks: the components of a type whose manifest has
    `stats_many` are counted together (a few queries for all of them), the
    others one by one (`stats`). Components without statistics are left out."""
    by_type: dict[str, list[Component]] = {}
    for component in components:
        by_type.setdefault(component.manifest_name, []).append(component)
    figures: dict[int, list[tuple[Any, Any]]] = {}
    for name, group in by_type.items():
        manifest = registry.get(name)
        if manifest is None or not manifest.stats:
            continue
        many, each = manifest.hook(manifest.stats_many), manifest.hook(manifest.stats)
        if many is not None:
            found = many(group)
            for component in group:
                figures[component.pk] = list(found.get(component.pk, ()))
        elif each is not None:
            for component in group:
                figures[component.pk] = list(each(component))
    return figures


def for_write(component: Component, *, related: tuple[str, ...] = ()) -> Component:
    """`component` read again from the database, with its space, the space's
    organization and phases: what decides whether an action is open
    (publication, settings, settings of the active phase, privacy).

    Services call it inside their transaction, before their permission
    check: the object a page loaded may come from the per-process memo of
    agora.core.pagecache (kept for a content version and a few seconds), and
    a vote closed on another server must be refused at once. `related`: more
    relations read in the same query (a survey: "survey"). Two queries; no
    row lock (a ballot storm would queue on the component), so a change that
    commits while a write is being checked applies to the next write."""
    assert connections[Component.objects.db].in_atomic_block, "for_write() reads inside the write's transaction"
    fresh = (
        Component.objects.select_related("space", "space__organization", "space__group", *related)
        .prefetch_related("space__phases")
        .get(pk=component.pk)
    )
    return fresh


def search_candidates(organization: Organization, shared: dict) -> list[tuple[str, str, str, str]]:
    """The components' provider of the site search (agora.core.search, registered in
    ComponentsConfig.ready): what each published component of a public space gives
    through its manifest's `search` hook."""
    components = (
        Component.objects.published()
        .filter(space__in=[space.pk for space in searchable_spaces(organization, shared)])
        .select_related("space", "space__organization")
    )
    candidates: list[tuple[str, str, str, str]] = []
    for component in components:
        manifest = component.manifest
        hook = manifest.hook(manifest.search) if manifest else None
        if hook:
            where = f"{translated(component.space.title)} › {component}"
            candidates.extend((title, text, url, where) for title, text, url in hook(component))
    return candidates


def attention_items(user: User, organization: Organization) -> list[Item]:
    """The components' provider of the dashboard's cards (agora.core.attention,
    registered in ComponentsConfig.ready): the components of the spaces where the
    person holds a role (every space for the organization's admins) in one query,
    then each manifest's `attention` hook once with all the components of its type."""
    if permissions.is_organization_admin(user, organization):
        components = Component.objects.filter(space__organization=organization)
    else:
        space_ids = permissions.role_space_ids(user, organization)
        if not space_ids:
            return []
        components = Component.objects.filter(space__organization=organization, space_id__in=space_ids)
    by_type: dict[str, list[Component]] = {}
    for component in components.select_related("space", "space__organization").order_by(
        "space__weight", "space_id", "weight", "id"
    ):
        by_type.setdefault(component.manifest_name, []).append(component)
    items: list[Item] = []
    for name, of_type in by_type.items():
        manifest = registry.get(name)
        if manifest is not None and manifest.attention:
            items.extend(import_string(manifest.attention)(of_type, user))
    return items
