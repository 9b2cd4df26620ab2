"""What every router of the public API uses (docs/api.md): the common filters,
cursor pagination, structured errors, the public components of a type, and the
staff tokens' authentication with scopes.

A component's module named by its manifest's `api` hook builds a ninja Router
with this kit; the core (agora.api.urls) mounts it at /api/v1/<component type>/
without knowing the component. Reads are always those of an anonymous visitor:
a token authenticates writes only, never widens what is read."""

import base64
import binascii
import copy
import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.db.models import DateTimeField, Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from ninja import Field, Query, Router, Schema
from ninja.security import APIKeyHeader
from pydantic import create_model

from agora.api import selectors, services
from agora.api.errors import ApiError
from agora.api.models import ApiToken
from agora.components.models import Component
from agora.components.registry import registry
from agora.core import pagecache
from agora.core.middleware import AgoraRequest
from agora.spaces.models import Phase

ROOT = "/api/v1/"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100

T = TypeVar("T")


class ErrorBody(Schema):
    code: str = Field(description="A stable code: not_found, invalid, bad_cursor, unauthorized, forbidden ...")
    message: str
    details: Any = None


class Error(Schema):
    error: ErrorBody


# The answers every endpoint may give besides its own (OpenAPI).
ERRORS: dict[int, type] = {400: Error, 404: Error, 422: Error, 429: Error}
WRITE_ERRORS: dict[int, type] = {**ERRORS, 401: Error, 403: Error}


class Filters(Schema):
    """The filters every list accepts; a resource ignores those it has no field for."""

    space: str | None = Field(None, description="The slug of a space")
    component: int | None = Field(None, description="The id of a component")
    category: int | None = Field(None, description="The id of a category (its sub-categories included)")
    scope: int | None = Field(None, description="The id of a scope (territory)")
    state: str | None = Field(None, description="A state or status (see each resource)")
    since: datetime.date | None = Field(None, description="On or after this date (YYYY-MM-DD)")
    until: datetime.date | None = Field(None, description="On or before this date (YYYY-MM-DD)")
    cursor: str | None = Field(None, description="The `next_cursor` of the previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Give it as `cursor` for the next page; null on the last page")


class ComponentRef(Schema):
    id: int
    type: str
    space: str = Field(description="The slug of its space")


def component_ref(component: Component) -> dict:
    return {"id": component.pk, "type": component.manifest_name, "space": component.space.slug}


def translated(value: Any) -> dict[str, str]:
    """A translated field as {language: text}, the way the open data gives it."""
    return {str(key): str(text) for key, text in (value or {}).items() if text}


def public_components(request: AgoraRequest, manifest_name: str, filters: Filters | None = None) -> list[Component]:
    """The components of a type any visitor may read in the request's organization
    (published, in a published space that is not private or is transparent), with
    their spaces and phases, narrowed by the `space` and `component` filters. Kept
    per process for the settings version (agora.core.pagecache.memo, as the pages
    keep components); each call gets copies."""
    organization = request.organization
    shared = pagecache.memo(
        ("api_components", organization.pk, manifest_name),
        lambda: list(
            selectors.public_components(organization, manifest_name).prefetch_related(
                Prefetch("space__phases", queryset=Phase.objects.order_by("position", "id"))
            )
        ),
    )
    components = []
    for component in shared:
        if filters is not None and filters.space and component.space.slug != filters.space:
            continue
        if filters is not None and filters.component and component.pk != filters.component:
            continue
        component = copy.copy(component)
        component.space = copy.copy(component.space)
        component.space.organization = organization  # the request's: no query
        components.append(component)
    return components


def taxa(request: AgoraRequest, filters: Filters) -> tuple[frozenset[int] | None, frozenset[int] | None]:
    """The ids the `category` and `scope` filters stand for: the category with its
    sub-categories (at any depth), the scope; None for a filter not given. An id of
    no category (scope) of the request's organization is refused (400 `invalid`,
    `details` naming the field), the same for every resource: another organization's
    taxonomy never narrows, nor hints at, anything here. The organization's
    categories and scopes are kept per settings version (pagecache.memo)."""
    organization = request.organization
    categories = scopes = None
    if filters.category is not None:
        tree = pagecache.memo(("api_categories", organization.pk), lambda: selectors.category_tree(organization))
        if filters.category not in tree:
            raise ApiError(
                400,
                "invalid",
                "No category of this organization has this id (see /api/v1/categories).",
                [{"field": "category", "message": "Unknown category"}],
            )
        found = {filters.category}
        while True:
            more = {pk for pk, parent in tree.items() if parent in found and pk not in found}
            if not more:
                break
            found |= more
        categories = frozenset(found)
    if filters.scope is not None:
        known = pagecache.memo(("api_scopes", organization.pk), lambda: selectors.scope_ids(organization))
        if filters.scope not in known:
            raise ApiError(
                400,
                "invalid",
                "No scope of this organization has this id (see /api/v1/scopes).",
                [{"field": "scope", "message": "Unknown scope"}],
            )
        scopes = frozenset({filters.scope})
    return categories, scopes


def filter_common(
    request: AgoraRequest,
    queryset: QuerySet,
    filters: Filters,
    *,
    category: str | None = None,
    scope: str | None = None,
    state: Callable[[QuerySet, str], QuerySet] | str | None = None,
    date: str | None = None,
) -> QuerySet:
    """`queryset` narrowed by the filters the resource has a field for: `category`
    (the field's name, a lookup such as "result__category" too; its sub-categories
    count), `scope`, `state` (a field name, or a function for states that are not one
    field) and `date` (a date or datetime field). The category and scope given are
    checked whether the resource has them or not (`taxa`)."""
    categories, scopes = taxa(request, filters)
    if category and categories is not None:
        queryset = queryset.filter(**{f"{category}__in": categories})
    if scope and scopes is not None:
        queryset = queryset.filter(**{f"{scope}__in": scopes})
    if state and filters.state:
        queryset = state(queryset, filters.state) if callable(state) else queryset.filter(**{state: filters.state})
    if date and filters.since:
        queryset = queryset.filter(**{f"{date}__gte": _day_start(filters.since, queryset, date)})
    if date and filters.until:
        queryset = queryset.filter(
            **{f"{date}__lt": _day_start(filters.until + datetime.timedelta(days=1), queryset, date)}
        )
    return queryset


def filter_notes(
    *, category: str | None = None, scope: str | None = None, state: str | None = None, date: str | None = None
) -> str:
    """What an endpoint's description says of the filters it applies (the documentation page shows it)."""
    notes = []
    if category:
        notes.append("`category` filters on its category (sub-categories included)")
    if scope:
        notes.append("`scope` filters on its scope (territory)")
    if state:
        notes.append(f"`state` filters on the column `{state}`")
    if date:
        notes.append(f"`since` and `until` filter on `{date}`")
    if not (category or scope):
        notes.append("it has no category nor scope: those filters do not narrow it")
    return "; ".join(notes).capitalize() + "."


def row_day(value: Any) -> str:
    """The day (YYYY-MM-DD) of a row's date or date and time in the site's time zone, as
    the queryset endpoints count it: an ISO text of a moment in UTC ("2024-05-09T22:30:00+00:00")
    is 10 May in Paris; "" for none."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value) if "T" in value else datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value[:10]
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date().isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else str(value)[:10]


def _day_start(day: datetime.date, queryset: QuerySet, field: str) -> datetime.date | datetime.datetime:
    """The start of `day` in the site's time zone for a datetime field, the day itself for a date field."""
    model_field = queryset.model._meta.get_field(field.split("__")[0])
    if isinstance(model_field, DateTimeField):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return day


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"v": 1, "before": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        value = data["before"]
        if data.get("v") != 1 or not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(cursor)
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "bad_cursor", "This cursor is not one this API gave: start again without it.") from None
    return value


def page(queryset: QuerySet, filters: Filters, serialize: Callable[[Sequence[Any]], Iterable[dict]]) -> dict:
    """One page of `queryset`, newest first (by id, a stable order whatever is
    added meanwhile), after the cursor; `serialize` turns the page's rows into
    dicts (the rows are read in one query: it may read more for all of them at once)."""
    before = decode_cursor(filters.cursor)
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    rows = list(queryset.order_by("-pk")[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {"items": list(serialize(rows)), "next_cursor": encode_cursor(rows[-1].pk) if more and rows else None}


def one(queryset: QuerySet, pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ApiError(404, "not_found", "Nothing public has this id.")
    return found


# --- staff tokens ------------------------------------------------------------------------------


class TokenAuth(APIKeyHeader):
    """`Authorization: Bearer <token>` with `scope` among the token's scopes: the
    token must exist in this organization, not be revoked, and its owner must still
    be staff of the organization (agora.permissions). Every use is logged."""

    param_name = "Authorization"
    openapi_name = "token"

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def authenticate(self, request: Any, key: str | None) -> ApiToken:
        raw = (key or "").removeprefix("Bearer ").strip()
        if not raw:
            raise ApiError(401, "unauthorized", "This endpoint needs a staff token: Authorization: Bearer <token>.")
        return services.use_token(
            raw=raw, organization=request.organization, scope=self.scope, method=request.method, path=request.path
        )


def actor_of(request: Any) -> Any:
    """The owner of the request's token (a write endpoint acts as them)."""
    return request.auth.user


# --- resources served from a component's open-data rows ---------------------------------------


def row_schema(name: str, columns: Sequence[tuple[str, Any]], ids: Sequence[str] = ()) -> type:
    """A schema for the rows of an open-data table: its columns with their meaning
    (the table's dictionary), plus the component and the space of each row, and
    `category_id` / `scope_id` for the taxa named in `ids` ("category", "scope")."""
    with translation.override("en"):
        fields: dict[str, Any] = {
            column: (Any, Field(None, description=str(meaning))) for column, meaning in columns if column.isidentifier()
        }
    for taxon in ids:
        fields[f"{taxon}_id"] = (
            int | None,
            Field(
                None, description=f"The id of its {taxon} (/api/v1/{'categories' if taxon == 'category' else 'scopes'})"
            ),
        )
    fields["component"] = (ComponentRef, Field(description="The component it belongs to"))
    return create_model(name, __base__=Schema, **fields)


def rows_endpoint(
    api: Router,
    path: str,
    *,
    manifest_name: str,
    table: str,
    summary: str,
    state: str | None = None,
    date: str | None = None,
    category: str | None = None,
    scope: str | None = None,
    model: str | None = None,
) -> None:
    """A list endpoint serving the rows of the component's open-data table `table`:
    its hook already reads the component's public resources through its selectors
    (nothing of an unpublished or private component, no draft, nothing hidden, no
    personal data). Filters: space, component, `state` (equal to the row's `state`
    column), since/until (on the row's `date` column), and the category and scope
    through the fields `category` and `scope` of `model` (the table's own by default),
    whose primary keys are the rows' `id`s (the rows name them in words, not by id);
    newest first by id (rows without ids keep the table's order)."""
    manifest = registry[manifest_name]
    declared = next(t for t in manifest.open_data if t.name == table)
    taxa_fields = {taxon: field for taxon, field in (("category", category), ("scope", scope)) if field}
    schema = row_schema(f"{manifest_name}_{table}", declared.columns, tuple(taxa_fields))
    rows_of = import_string(declared.rows)
    if (category or scope) and not (model or declared.model):
        raise ValueError(f"{manifest_name}.{table}: name the model whose fields `category` and `scope` are")
    description = filter_notes(category=category, scope=scope, state=state, date=date)

    @api.get(
        path,
        response={200: Page[schema], **ERRORS},  # type: ignore[valid-type] # a schema built at run time
        summary=summary,
        description=description,
        operation_id=f"{manifest_name}_{table}",
    )
    def endpoint(request: Any, filters: Query[Filters]) -> dict:
        kept = _taxon_ids(request, filters, model or declared.model, category=category, scope=scope)
        items: list[dict] = []
        for component in public_components(request, manifest_name, filters):
            reference = component_ref(component)
            for row in rows_of(component):
                if kept is not None and row.get("id") not in kept:
                    continue
                if state and filters.state and str(row.get(state)) != filters.state:
                    continue
                if date and (filters.since or filters.until):
                    day = row_day(row.get(date))
                    if not day or (filters.since and day < filters.since.isoformat()):
                        continue
                    if filters.until and day > filters.until.isoformat():
                        continue
                items.append({**row, "component": reference})
        answer = page_of_rows(items, filters)
        if taxa_fields:
            _add_taxon_ids(answer["items"], model or declared.model, taxa_fields)
        return answer


def _taxon_ids(
    request: Any, filters: Filters, model: str, *, category: str | None, scope: str | None
) -> set[int] | None:
    """The ids of the `model`'s resources in the category and scope asked (None: no such
    filter for this resource); one query, only when one of them is given."""
    categories, scopes = taxa(request, filters)
    lookups = {}
    if category and categories is not None:
        lookups[f"{category}__in"] = categories
    if scope and scopes is not None:
        lookups[f"{scope}__in"] = scopes
    if not lookups:
        return None
    return set(apps.get_model(model).objects.filter(**lookups).values_list("pk", flat=True))


def _add_taxon_ids(items: list[dict], model: str, taxa_fields: dict[str, str]) -> None:
    """`category_id` and `scope_id` on the rows of one page (the rows name them in
    words): one query for the page, whatever its size."""
    names = list(taxa_fields)
    found = {
        values[0]: values[1:]
        for values in apps.get_model(model)
        .objects.filter(pk__in=[item["id"] for item in items if isinstance(item.get("id"), int)])
        .values_list("pk", *(f"{taxa_fields[name]}_id" for name in names))
    }
    for item in items:
        values = found.get(item.get("id"), (None,) * len(names))
        for name, value in zip(names, values, strict=True):
            item[f"{name}_id"] = value


def page_of_rows(items: list[dict], filters: Filters) -> dict:
    """A page of rows already read: by id, newest first, when they have ids; else in their order."""
    if items and all(isinstance(item.get("id"), int) for item in items):
        items.sort(key=lambda item: item["id"], reverse=True)
        before = decode_cursor(filters.cursor)
        if before is not None:
            items = [item for item in items if item["id"] < before]
        chunk = items[: filters.limit]
        more = len(items) > filters.limit
        return {"items": chunk, "next_cursor": encode_cursor(chunk[-1]["id"]) if more else None}
    start = decode_cursor(filters.cursor) or 0
    chunk = items[start : start + filters.limit]
    more = len(items) > start + filters.limit
    return {"items": chunk, "next_cursor": encode_cursor(start + filters.limit) if more else None}
