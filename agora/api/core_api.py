"""The core's endpoints: the organization, its spaces and phases, its categories
and scopes, and its public components (each with the address of its resources)."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from agora.api import kit, selectors
from agora.api.kit import ERRORS, ROOT, Filters, Page
from agora.comments import registry as comment_registry
from agora.comments import selectors as comment_selectors
from agora.comments.models import Comment
from agora.components.models import Component
from agora.components.registry import registry
from agora.spaces.models import Space
from agora.taxonomy.models import Category, Scope


class OrganizationOut(Schema):
    name: str
    host: str
    default_language: str
    languages: list[str]
    description: dict[str, str]
    reference_prefix: str
    component_types: list[str] = Field(description="The component types whose resources this API serves")


class PhaseOut(Schema):
    id: int
    title: dict[str, str]
    description: dict[str, str]
    start_date: datetime.date | None
    end_date: datetime.date | None
    active: bool


class SpaceOut(Schema):
    id: int
    slug: str
    kind: str = Field(description="process or assembly")
    title: dict[str, str]
    subtitle: dict[str, str]
    short_description: dict[str, str]
    description: dict[str, str]
    start_date: datetime.date | None
    end_date: datetime.date | None
    scope: int | None
    parent: str | None = Field(description="The slug of the parent assembly")
    published_at: datetime.datetime | None
    url: str
    phases: list[PhaseOut]


class ComponentOut(Schema):
    id: int
    type: str
    name: dict[str, str]
    space: str
    url: str
    api: str | None = Field(description="Where its resources are listed in this API")


class ResourceRef(Schema):
    type: str = Field(description="The resource's kind: proposals.proposal, news.post, debates.debate ...")
    id: int


class CommentOut(Schema):
    id: int
    resource: ResourceRef
    component: int | None
    parent: int | None
    body: str
    alignment: int | None = Field(description="1 for, -1 against, 0 neutral, null when not asked")
    official: bool
    author: str = Field(description="As the pages show it (the public name)")
    up: int
    down: int
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    url: str


class CategoryOut(Schema):
    id: int
    name: dict[str, str]
    parent: int | None


class ScopeOut(Schema):
    id: int
    name: dict[str, str]
    code: str
    type: dict[str, str] | None
    parent: int | None


def _space(space: Space) -> dict[str, Any]:
    return {
        "id": space.pk,
        "slug": space.slug,
        "kind": space.kind,
        "title": kit.translated(space.title),
        "subtitle": kit.translated(space.subtitle),
        "short_description": kit.translated(space.short_description),
        "description": kit.translated(space.description),
        "start_date": space.start_date,
        "end_date": space.end_date,
        "scope": space.scope_id,
        "parent": space.parent.slug if space.parent_id and space.parent else None,
        "published_at": space.published_at,
        "url": space.get_absolute_url(),
        "phases": [
            {
                "id": phase.pk,
                "title": kit.translated(phase.title),
                "description": kit.translated(phase.description),
                "start_date": phase.start_date,
                "end_date": phase.end_date,
                "active": phase.is_active,
            }
            for phase in space.phases.all()
        ]
        if space.kind == Space.Kind.PROCESS
        else [],
    }


def _component(component: Component) -> dict[str, Any]:
    manifest = component.manifest
    return {
        "id": component.pk,
        "type": component.manifest_name,
        "name": kit.translated(component.name),
        "space": component.space.slug,
        "url": component.get_absolute_url(),
        "api": f"{ROOT}{component.manifest_name}/" if manifest and manifest.api else None,
    }


def router() -> Router:
    api = Router(tags=["organization"])

    @api.get("/organization", response={200: OrganizationOut, **ERRORS}, summary="The organization")
    def organization(request):
        org = request.organization
        return {
            "name": org.name,
            "host": org.host,
            "default_language": org.default_language,
            "languages": list(org.available_languages or [org.default_language]),
            "description": kit.translated(org.description),
            "reference_prefix": org.reference_prefix,
            "component_types": [m.name for m in registry.all() if m.api],
        }

    @api.get("/spaces", response={200: Page[SpaceOut], **ERRORS}, summary="Public spaces (processes and assemblies)")
    def spaces(request, filters: Query[Filters], kind: str | None = None):
        """`state` and `category` are not used; `scope`: the space's; `since`/`until` keep
        the spaces running on those days."""
        _categories, scopes = kit.taxa(request, filters)
        queryset = selectors.public_spaces(request.organization)
        if kind:
            queryset = queryset.filter(kind=kind)
        if filters.space:
            queryset = queryset.filter(slug=filters.space)
        if scopes is not None:
            queryset = queryset.filter(scope__in=scopes)
        if filters.since:
            queryset = queryset.exclude(end_date__lt=filters.since)
        if filters.until:
            queryset = queryset.exclude(start_date__gt=filters.until)
        return kit.page(queryset, filters, lambda rows: map(_space, rows))

    @api.get("/spaces/{slug}", response={200: SpaceOut, **ERRORS}, summary="A public space with its phases")
    def space(request, slug: str):
        found = selectors.public_spaces(request.organization).filter(slug=slug).first()
        if found is None:
            raise kit.ApiError(404, "not_found", "No public space has this slug.")
        return _space(found)

    @api.get("/components", response={200: Page[ComponentOut], **ERRORS}, summary="Public components")
    def components(request, filters: Query[Filters], type: str | None = None):  # noqa: A002 - the API's word
        queryset = selectors.public_components(request.organization, type)
        if filters.space:
            queryset = queryset.filter(space__slug=filters.space)
        return kit.page(queryset, filters, lambda rows: map(_component, rows))

    @api.get("/comments", response={200: Page[CommentOut], **ERRORS}, summary="Comments of public resources")
    def comments(request, filters: Query[Filters]):
        """Comments of public components whose resource is public, not hidden, not
        deleted; dates: when written. A page may hold fewer than `limit` comments
        (those of resources that are not public are left out of it)."""
        queryset = selectors.public_components(request.organization)
        if filters.space:
            queryset = queryset.filter(space__slug=filters.space)
        if filters.component:
            queryset = queryset.filter(pk=filters.component)
        found = kit.filter_common(
            request,
            comment_selectors.public_comments(queryset.values_list("pk", flat=True)),
            filters,
            date="created_at",
        )

        def serialize(rows: Sequence[Comment]) -> list[dict[str, Any]]:
            targets = comment_selectors.public_targets(rows)
            items = []
            for comment in rows:
                target = targets.get((comment.content_type_id, comment.object_id))
                if target is None:
                    continue
                adapter = comment_registry.adapter_for(target)
                author = comment.author
                items.append(
                    {
                        "id": comment.pk,
                        "resource": {
                            "type": comment.content_type.app_label + "." + comment.content_type.model,
                            "id": comment.object_id,
                        },
                        "component": comment.component_id,
                        "parent": comment.parent_id,
                        "body": comment.body,
                        "alignment": comment.alignment,
                        "official": comment.official,
                        "author": author.public_name if author is not None else str(_("Deleted participant")),
                        "up": comment.up_count,
                        "down": comment.down_count,
                        "created_at": comment.created_at,
                        "edited_at": comment.edited_at,
                        "url": f"{adapter.url(target) if adapter else ''}#comment-{comment.pk}",
                    }
                )
            return items

        return kit.page(found, filters, serialize)

    @api.get("/categories", response={200: Page[CategoryOut], **ERRORS}, summary="Categories")
    def categories(request, filters: Query[Filters]):
        queryset = Category.objects.filter(organization=request.organization)
        return kit.page(
            queryset,
            filters,
            lambda rows: ({"id": c.pk, "name": kit.translated(c.name), "parent": c.parent_id} for c in rows),
        )

    @api.get("/scopes", response={200: Page[ScopeOut], **ERRORS}, summary="Scopes (territories)")
    def scopes(request, filters: Query[Filters]):
        queryset = Scope.objects.filter(organization=request.organization).select_related("scope_type")
        return kit.page(
            queryset,
            filters,
            lambda rows: (
                {
                    "id": s.pk,
                    "name": kit.translated(s.name),
                    "code": s.code,
                    "type": kit.translated(s.scope_type.name) if s.scope_type_id else None,
                    "parent": s.parent_id,
                }
                for s in rows
            ),
        )

    return api
