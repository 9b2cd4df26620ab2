"""The blocks an organization's home page shows, and drawing them (agora.core.home)."""

from __future__ import annotations

import copy

from django.utils.safestring import SafeString, mark_safe

from agora.core import home, pagecache
from agora.core.models import HomeBlock, Organization


def default_blocks(organization: Organization) -> list[HomeBlock]:
    """The default composition (what the home page showed before it was
    composed): the kinds that declare a default position, in that order.
    Computed, never stored."""
    chosen = sorted(
        (kind for kind in home.kinds() if kind.default_position is not None),
        key=lambda kind: kind.default_position or 0,
    )
    return [
        HomeBlock(
            organization=organization, kind=kind.name, position=position, settings=copy.deepcopy(kind.default_settings)
        )
        for position, kind in enumerate(chosen)
    ]


def saved_blocks(organization: Organization):
    return HomeBlock.objects.filter(organization=organization).order_by("position", "id")


def shown_blocks(organization: Organization) -> list[HomeBlock]:
    """The enabled blocks in their order, or the default composition when the
    organization has composed nothing. Memoised per settings version (one
    query per process and version; a change of blocks moves the version)."""

    def load():
        blocks = list(saved_blocks(organization))
        if not blocks:
            return default_blocks(organization)
        return [block for block in blocks if block.is_enabled]

    return pagecache.memo(("home-blocks", organization.pk), load)


def render(request, blocks) -> tuple[list[SafeString], bool]:
    """The HTML of each block that shows something, and whether one of them
    carries the page's h1 (the first block, when its kind leads: the hero)."""
    html: list[SafeString] = []
    lead_given = False
    for block in blocks:
        kind = home.kind_of(block.kind)
        if kind is None:
            continue  # a kind whose app is no longer installed
        lead = not html and kind.leads
        drawn = kind.renderer()(request, block, lead)
        if drawn:
            html.append(mark_safe(drawn))  # rendered by a template (escaped there)
            lead_given = lead_given or lead
    return html, lead_given
