"""The sortitions component in the public API (/api/v1/sortitions/, agora.api): panel draws
(the rows of their open-data table) and drawings of ideas, read through this component's
selectors as their public pages show them (a title hidden by moderation since is never given)."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema

from agora.api import kit
from agora.api.kit import ERRORS, ComponentRef, Filters, Page
from agora.components.models import Component
from agora.components.sortitions import hooks, selectors
from agora.components.sortitions.models import IdeaDraw

STATES = ("published", "drawn")


class PartyOut(Schema):
    party: str
    commitment: str = Field(description="SHA-256 of 'agora-sortition-commit', 0, the party's name, 0, its secret")
    secret: str | None = Field(description="The secret revealed, once drawn (null before, and for a dropped party)")
    dropped: bool | None = Field(description="Did not reveal and was dropped (null before the draw)")


class DrawnIdeaOut(Schema):
    id: int = Field(description="The idea's number (/api/v1/proposals/ideas/{id} while it is public)")
    title: str | None = Field(description="As frozen with the candidates; null when hidden by moderation since")
    hidden: bool = Field(description="Hidden by moderation since the drawing: only its number is given")


class IdeaDrawOut(Schema):
    id: int
    title: str
    component: ComponentRef
    ideas_component: int | None = Field(description="The id of the ideas component the ideas are drawn from")
    count: int = Field(description="Ideas to draw")
    candidates: int = Field(description="Number of candidate ideas")
    state: str = Field(description="published (candidates and commitments published, waiting for the seed) or drawn")
    published_at: datetime.datetime = Field(description="When the candidates and their hash were published")
    drawn_at: datetime.datetime | None
    candidates_sha256: str = Field(description="SHA-256 of the candidates document (docs/sortition.md)")
    public_value: str | None = Field(description="The public value not known in advance, once drawn")
    seed_sha256: str | None = Field(description="The seed, once drawn")
    parties: list[PartyOut]
    drawn: list[DrawnIdeaOut] = Field(description="The ideas drawn, by number (empty before the draw)")
    url: str = Field(description="The drawing's public page")
    bundle_url: str = Field(description="The verification bundle (JSON), checked by `manage.py sortition_verify`")


def _state(queryset: QuerySet, value: str) -> QuerySet:
    if value == "drawn":
        return queryset.filter(drawn_at__isnull=False)
    if value == "published":
        return queryset.filter(drawn_at__isnull=True)
    raise kit.ApiError(
        400,
        "invalid",
        "state: published or drawn.",
        [{"field": "state", "message": "Unknown state (published or drawn)"}],
    )


def serialize(rows: Sequence[IdeaDraw], components: dict[int, Component]) -> list[dict]:
    """A page of drawings: the hidden ideas of all of them read in one query."""
    drawn_rows = selectors.drawn_idea_rows(rows)
    items = []
    for idea_draw in rows:
        component = components[idea_draw.component_id]
        drawn = idea_draw.drawn_at is not None
        items.append(
            {
                "id": idea_draw.pk,
                "title": idea_draw.title,
                "component": kit.component_ref(component),
                "ideas_component": idea_draw.source_id,
                "count": idea_draw.count,
                "candidates": len(idea_draw.candidates.get("candidates", [])),
                "state": hooks.idea_draw_state(idea_draw),
                "published_at": idea_draw.created_at,
                "drawn_at": idea_draw.drawn_at,
                "candidates_sha256": idea_draw.candidates_sha256,
                "public_value": idea_draw.public_value if drawn else None,
                "seed_sha256": idea_draw.record.get("seed_sha256") if drawn else None,
                "parties": hooks.party_rows(idea_draw),
                "drawn": [
                    {"id": int(row["id"]), "title": None if row["hidden"] else row["title"], "hidden": row["hidden"]}
                    for row in drawn_rows[idea_draw.pk]
                    if row["id"].isdigit()
                ],
                **hooks.idea_draw_urls(component, idea_draw.pk),
            }
        )
    return items


def router() -> Router:
    api = Router()
    kit.rows_endpoint(
        api,
        "/draws",
        manifest_name="sortitions",
        table="sortition_draws",
        summary="Draws and their public bundles",
        date="drawn_at",
    )

    @api.get("/idea-draws", response={200: Page[IdeaDrawOut], **ERRORS}, summary="Drawings of ideas by lot")
    def idea_draws(request: Any, filters: Query[Filters]) -> dict:
        """`state`: published (waiting for the seed) or drawn; `since` and `until` filter on
        `published_at`; it has no category nor scope: those filters do not narrow it. The
        parties' secrets and the public value are given once drawn, as the public page and the
        bundle give them; an idea hidden by moderation since is given by its number only."""
        components = {c.pk: c for c in kit.public_components(request, "sortitions", filters)}
        queryset = kit.filter_common(
            request, selectors.public_idea_draws(components.values()), filters, state=_state, date="created_at"
        )
        return kit.page(queryset, filters, lambda rows: serialize(rows, components))

    @api.get("/idea-draws/{int:idea_draw_id}", response={200: IdeaDrawOut, **ERRORS}, summary="A drawing of ideas")
    def idea_draw(request: Any, idea_draw_id: int) -> dict:
        components = {c.pk: c for c in kit.public_components(request, "sortitions")}
        found = kit.one(selectors.public_idea_draws(components.values()), idea_draw_id)
        return serialize([found], components)[0]

    return api
