"""The ideas in the public API (/api/v1/proposals/, agora.api): what the ideas'
pages show any visitor, read through this component's selectors; and the staff's
import of ideas from paper campaigns (scope "proposals.paper")."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer

from agora.api import kit
from agora.api.kit import ERRORS, WRITE_ERRORS, Filters, Page
from agora.components.models import Component
from agora.components.proposals import selectors, services
from agora.components.proposals.models import Proposal
from agora.taxonomy.models import Category, Scope

PAPER_SCOPE = "proposals.paper"


class IdeaOut(Schema):
    id: int
    reference: str
    component: int
    title: str
    body: str = Field(description="The text, as sanitized HTML")
    status: str = Field(description="published or withdrawn")
    author: str = Field(description="As the pages show it: the public name, or the organization for official ideas")
    official: bool
    channel: str = Field(description="online, paper, desk or meeting")
    category: int | None
    scope: int | None
    state: dict[str, str] | None = Field(description="The published answer's state, if any")
    answer: dict[str, str]
    answer_published_at: datetime.datetime | None
    address: str
    latitude: float | None
    longitude: float | None
    supports: int | None = Field(description="null where the component does not show supports")
    published_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    url: str


class PaperIdea(Schema):
    title: str
    body: str
    author_name: str = Field(description="The resident's name as written on the form")
    category: int | None = None
    scope: int | None = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class PaperImport(Schema):
    component: int
    ideas: list[PaperIdea] = Field(min_length=1, max_length=500)


class Imported(Schema):
    ids: list[int]


def _state(queryset: Any, value: str) -> Any:
    if value in (Proposal.Status.PUBLISHED, Proposal.Status.WITHDRAWN):
        return queryset.filter(status=value)
    if value == "none":
        return queryset.filter(published_state__isnull=True)
    if value.isdigit():
        return queryset.filter(published_state=int(value))
    raise kit.ApiError(400, "invalid", "state: published, withdrawn, none or the id of a state.")


def serialize(rows: Sequence[Proposal], organization: Any, components: dict[int, Component]) -> list[dict]:
    modes = selectors.supports_modes(components.values())
    items = []
    for proposal in rows:
        proposal.component = components[proposal.component_id]
        items.append(
            {
                "id": proposal.pk,
                "reference": proposal.reference,
                "component": proposal.component_id,
                "title": proposal.title,
                "body": proposal.body,
                "status": proposal.status,
                "author": organization.name if proposal.official else proposal.byline,
                "official": proposal.official,
                "channel": proposal.channel,
                "category": proposal.category_id,
                "scope": proposal.scope_id,
                "state": kit.translated(proposal.published_state.name) if proposal.published_state else None,
                "answer": kit.translated(proposal.published_answer),
                "answer_published_at": proposal.answer_published_at,
                "address": proposal.address,
                "latitude": float(proposal.latitude) if proposal.latitude is not None else None,
                "longitude": float(proposal.longitude) if proposal.longitude is not None else None,
                "supports": None if modes.get(proposal.component_id, "hidden") == "hidden" else proposal.supports_count,
                "published_at": proposal.published_at,
                "withdrawn_at": proposal.withdrawn_at,
                "url": proposal.get_absolute_url(),
            }
        )
    return items


def router() -> Router:
    api = Router()

    @api.get("/ideas", response={200: Page[IdeaOut], **ERRORS}, summary="Ideas")
    def ideas(request, filters: Query[Filters]):
        """`state`: published, withdrawn, none (no answer yet) or a state's id; dates: publication;
        `category` (sub-categories included) and `scope`: the idea's."""
        components = {c.pk: c for c in kit.public_components(request, "proposals", filters)}
        queryset = kit.filter_common(
            request,
            selectors.public_proposals_of(list(components)),
            filters,
            category="category",
            scope="scope",
            state=_state,
            date="published_at",
        )
        return kit.page(queryset, filters, lambda rows: serialize(rows, request.organization, components))

    @api.get("/ideas/{int:idea_id}", response={200: IdeaOut, **ERRORS}, summary="An idea")
    def idea(request, idea_id: int):
        components = {c.pk: c for c in kit.public_components(request, "proposals")}
        proposal = kit.one(selectors.public_proposals_of(list(components)), idea_id)
        return serialize([proposal], request.organization, components)[0]

    @api.post(
        "/ideas/paper",
        auth=kit.TokenAuth(PAPER_SCOPE),
        response={201: Imported, **WRITE_ERRORS},
        summary="Import ideas from a paper campaign (staff token, scope proposals.paper)",
    )
    def import_paper(request, payload: PaperImport):
        """All the ideas or none: an idea that is not valid cancels the import, and the
        error says which (`details.index`). Each is published at once in the resident's
        name, with the channel "paper", as the back-office's paper form does."""
        organization = request.organization
        component = Component.objects.filter(
            space__organization=organization, manifest_name="proposals", pk=payload.component
        ).first()
        if component is None:
            raise kit.ApiError(404, "not_found", "No ideas component has this id.")
        actor = kit.actor_of(request)
        ids = []
        with transaction.atomic():
            for index, item in enumerate(payload.ideas):
                try:
                    category = _taxon(Category, organization, item.category, "category")
                    scope = _taxon(Scope, organization, item.scope, "scope")
                    proposal = services.enter_idea(
                        actor=actor,
                        component=component,
                        channel=Proposal.Channel.PAPER,
                        author_name=item.author_name,
                        title=item.title,
                        body=item.body,
                        category=category,
                        scope=scope,
                        address=item.address,
                        latitude=item.latitude,
                        longitude=item.longitude,
                    )
                except ValidationError as error:
                    details = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
                    raise kit.ApiError(
                        400, "invalid", f"Idea {index + 1}: " + " ".join(error.messages), {"index": index, **details}
                    ) from None
                ids.append(proposal.pk)
        return Answer(201, {"ids": ids})

    return api


def _taxon(model: Any, organization: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(organization=organization, pk=pk).first()
    if found is None:
        raise ValidationError({field: [f"No {field} has the id {pk}."]})
    return found
