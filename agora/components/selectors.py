"""Reads of components shared by every component type."""

from django.db import connections

from agora.components.models import Component


def for_write(component: Component) -> Component:
    """`component` read again from the database, with its space, the space's
    organization and phases: what decides whether an action is open
    (publication, settings, settings of the active phase, privacy).

    Services call it inside their transaction, before their permission
    check: the object a page loaded may come from the per-process memo of
    agora.core.pagecache (kept for a content version and a few seconds), and
    a vote closed on another server must be refused at once. Two queries; no
    row lock (a ballot storm would queue on the component), so a change that
    commits while a write is being checked applies to the next write."""
    assert connections[Component.objects.db].in_atomic_block, "for_write() reads inside the write's transaction"
    fresh = (Component.objects.select_related("space", "space__organization", "space__group")
             .prefetch_related("space__phases").get(pk=component.pk))
    return fresh
