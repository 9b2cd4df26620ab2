"""Reads of the proposals component. Every list is a fixed number of
queries whatever its length (joins for what each card shows; the visitor's
supports and the comment counts of a list page's ideas read with them)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import User
from agora.comments.models import Comment
from agora.comments.selectors import comment_counts, with_comment_count, with_thread_total
from agora.components.models import Component
from agora.components.proposals import mentions, rules
from agora.components.proposals.component import ATTACHMENT_KINDS
from agora.components.proposals.models import (
    Attachment,
    CustomField,
    MapLayer,
    OfferedTaxonomy,
    Proposal,
    ProposalState,
    Support,
)
from agora.components.proposals.text import stems
from agora.core import pagecache
from agora.core.translations import translated
from agora.follows.selectors import with_following
from agora.spaces.models import Space
from agora.taxonomy.models import Category, Scope

ORDERS = ("random", "recent", "most_supported", "most_commented")


def _memo(component: Component, key: str, compute: Callable[[], Any]) -> Any:
    """What the component's pages read of its vocabulary (categories, scopes,
    states, custom fields): once per component object, and per process for
    the settings version (agora.core.pagecache.memo; inside a write
    transaction it is read again). The lists are shared: never change them."""
    cache = component.__dict__.setdefault("_proposals_memo", {})
    if key not in cache:
        cache[key] = pagecache.memo(("proposals", key, component.pk), compute)
    return cache[key]


def _offered_items(component: Component, kind: str) -> QuerySet[Any]:
    """The organization's items (and any chosen or attached elsewhere), each
    marked as offered by the component and as attached to the space (a
    queryset: see `_first_offered`)."""
    model = Category if kind == "categories" else Scope
    item = "category" if kind == "categories" else "scope"
    offered = getattr(OfferedTaxonomy, kind).through.objects.filter(
        offeredtaxonomy__component=component, **{item: OuterRef("pk")}
    )
    in_space = getattr(Space, kind).through.objects.filter(space_id=component.space_id, **{item: OuterRef("pk")})
    return model.objects.annotate(is_offered=Exists(offered), in_space=Exists(in_space)).filter(
        Q(organization_id=component.space.organization_id) | Q(is_offered=True) | Q(in_space=True)
    )


def _first_offered(component: Component, items: Sequence[Any]) -> list[Any]:
    """The first non-empty of the three sets: offered by the component, attached to the space, the organization's."""
    return (
        [i for i in items if i.is_offered]
        or [i for i in items if i.in_space]
        or [i for i in items if i.organization_id == component.space.organization_id]
    )


def _offered(component: Component, kind: str) -> list[Any]:
    """One query: the items of `kind` the component offers (`_first_offered`)."""
    return _first_offered(component, list(_offered_items(component, kind)))


@dataclass(frozen=True)
class Term:
    """A category, scope or state as the filter form lists it: its id and name."""

    pk: int
    name: Any
    is_offered: bool = False
    in_space: bool = False
    organization_id: int | None = None
    token: str = ""
    colour: str = ""
    # A category's own image (taxonomy.api.category_picture): its stored name, copies and description.
    image: str = ""
    image_variants: Any = dataclass_field(default=None, compare=False)
    image_alt: Any = dataclass_field(default=None, compare=False)

    def __str__(self) -> str:
        return translated(self.name) or self.token


@dataclass(frozen=True)
class _Terms:
    """The memo of filter_terms: the filters' three lists, and every term read
    by kind and id (the cards' category, scope and state, see card_terms)."""

    categories: list[Term]
    scopes: list[Term]
    states: list[Term]
    by_id: dict[tuple[str, int], Term]


def filter_terms(component: Component) -> tuple[list[Term], list[Term], list[Term]]:
    """The categories, scopes and states the list's filter form offers (the
    same as offered_categories, offered_scopes and states), read together in
    one query and kept as the vocabulary is (`_memo`)."""
    terms = _terms(component)
    return terms.categories, terms.scopes, terms.states


def card_terms(component: Component, proposals: Sequence[Proposal]) -> None:
    """Set `card_category`, `card_scope` and `card_state` (Terms, or None) on
    the ideas of a list page, from the memo of the filters' terms (which holds
    every category and scope of the organization and every state of the
    component): the cards' query joins none of these tables. A term the memo
    lacks (a category of another organization the component no longer
    offers) is read in a query of its own."""
    by_id = _terms(component).by_id
    wanted = {
        "category": {p.category_id for p in proposals if p.category_id},
        "scope": {p.scope_id for p in proposals if p.scope_id},
        "state": {p.published_state_id for p in proposals if p.published_state_id},
    }
    missing = {kind: {pk for pk in ids if (kind, pk) not in by_id} for kind, ids in wanted.items()}
    if any(missing.values()):
        by_id = dict(by_id)
        models: dict[str, Any] = {"category": Category, "scope": Scope, "state": ProposalState}
        for kind, ids in missing.items():
            for item in models[kind].objects.filter(pk__in=ids) if ids else ():
                by_id[(kind, item.pk)] = Term(
                    pk=item.pk,
                    name=item.name,
                    token=getattr(item, "token", ""),
                    colour=getattr(item, "colour", ""),
                    image=str(getattr(item, "image", "") or ""),
                    image_variants=getattr(item, "image_variants", None),
                    image_alt=getattr(item, "image_alt", None),
                )
    for proposal in proposals:
        setattr(proposal, "card_category", by_id.get(("category", proposal.category_id or 0)))
        setattr(proposal, "card_scope", by_id.get(("scope", proposal.scope_id or 0)))
        setattr(proposal, "card_state", by_id.get(("state", proposal.published_state_id or 0)))


def _terms(component: Component) -> _Terms:
    def load() -> _Terms:
        columns = (
            "term_kind",
            "pk",
            "name",
            "is_offered",
            "in_space",
            "organization_id",
            "term_token",
            "term_position",
            "term_code",
            "term_colour",
            "term_image",
            "term_image_variants",
            "term_image_alt",
        )
        no_text = Value(None, output_field=CharField())
        no_json = Value(None, output_field=JSONField())
        rows = (
            _offered_items(component, "categories")
            .annotate(
                term_kind=Value("category"),
                term_token=Value(""),
                term_position=F("weight"),
                term_code=no_text,
                term_colour=no_text,
                term_image=F("image"),
                term_image_variants=F("image_variants"),
                term_image_alt=F("image_alt"),
            )
            .order_by()
            .values_list(*columns)
        )
        rows = rows.union(
            _offered_items(component, "scopes")
            .annotate(
                term_kind=Value("scope"),
                term_token=Value(""),
                term_position=Value(0),
                term_code=F("code"),
                term_colour=no_text,
                term_image=no_text,
                term_image_variants=no_json,
                term_image_alt=no_json,
            )
            .order_by()
            .values_list(*columns),
            ProposalState.objects.filter(component=component)
            .annotate(
                term_kind=Value("state"),
                is_offered=Value(False),
                in_space=Value(False),
                organization_id=Value(None, output_field=IntegerField()),
                term_token=F("token"),
                term_position=F("weight"),
                term_code=no_text,
                term_colour=F("colour"),
                term_image=no_text,
                term_image_variants=no_json,
                term_image_alt=no_json,
            )
            .order_by()
            .values_list(*columns),
            all=True,
        ).order_by()
        found: dict[str, list] = {"category": [], "scope": [], "state": []}
        for (
            kind,
            pk,
            name,
            is_offered,
            in_space,
            organization_id,
            token,
            position,
            code,
            colour,
            image,
            image_variants,
            image_alt,
        ) in rows:
            found[kind].append(
                (
                    (position, pk) if kind != "scope" else (code or "", pk),
                    Term(
                        pk=pk,
                        name=name,
                        is_offered=bool(is_offered),
                        in_space=bool(in_space),
                        organization_id=organization_id,
                        token=token or "",
                        colour=colour or "",
                        image=image or "",
                        image_variants=image_variants,
                        image_alt=image_alt,
                    ),
                )
            )
        # Each kind in its model's order: categories and states by weight, scopes by code.
        kinds = [
            [term for _, term in sorted(found[kind], key=lambda pair: pair[0])]
            for kind in ("category", "scope", "state")
        ]
        return _Terms(
            categories=_first_offered(component, kinds[0]),
            scopes=_first_offered(component, kinds[1]),
            states=kinds[2],
            by_id={(kind, term.pk): term for kind in found for _, term in found[kind]},
        )

    return _memo(component, "filter_terms", load)


def offered_categories(component: Component) -> list[Category]:
    """Categories of the idea form: the officer's choice, else the space's, else all of the organization."""
    return _memo(component, "categories", lambda: _offered(component, "categories"))


def offered_scopes(component: Component) -> list[Scope]:
    return _memo(component, "scopes", lambda: _offered(component, "scopes"))


def custom_fields(component: Component) -> list[CustomField]:
    return _memo(component, "fields", lambda: list(CustomField.objects.filter(component=component)))


def states(component: Component) -> list[ProposalState]:
    return _memo(component, "states", lambda: list(ProposalState.objects.filter(component=component)))


def map_layers(component: Component) -> list[MapLayer]:
    return list(MapLayer.objects.filter(component=component))


def allowed_attachment_kinds(component: Component) -> list[str]:
    raw = component.settings_of().attachment_kinds or ""
    return [kind for kind in (part.strip().lower() for part in raw.split(",")) if kind in ATTACHMENT_KINDS]


def supports_mode(component: Component) -> str:
    return component.phase_settings_of().supports or "hidden"


# --- lists ----------------------------------------------------------------------------------


def random_key(seed: int) -> ExpressionWrapper:
    """A pseudo-random but stable order for one visitor: a hash of (seed, id)
    made of integer arithmetic that SQLite and PostgreSQL compute alike."""
    seed = int(seed) % 1_000_003
    # The % operator on integers (the Mod function computes in numeric on
    # PostgreSQL, several times slower over 10,000 rows).
    return ExpressionWrapper(
        ((F("id") * Value(7919) + Value(seed)) % Value(1_000_003) * Value(104_729) + Value(seed)) % Value(999_983),
        output_field=IntegerField(),
    )


def search_filter(query: str) -> Q | None:
    words = stems(query)
    if not words:
        return None
    condition = Q()
    for word in dict.fromkeys(words):
        condition &= Q(search_text__contains=f" {word}")
    return condition


def _filtered(component: Component, user: User | AnonymousUser, filters: dict) -> QuerySet[Proposal]:
    status = filters.get("status") or "published"
    proposals = Proposal.objects.filter(component=component).visible()
    if status == "withdrawn":
        proposals = proposals.filter(status=Proposal.Status.WITHDRAWN)
    elif status == "all":
        proposals = proposals.exclude(status=Proposal.Status.DRAFT)
    else:
        proposals = proposals.filter(status=Proposal.Status.PUBLISHED)
    if filters.get("category"):
        category = filters["category"]
        proposals = proposals.filter(Q(category=category) | Q(category__parent=category))
    if filters.get("scope"):
        proposals = proposals.filter(scope=filters["scope"])
    state = filters.get("state")
    if state == "none":
        proposals = proposals.filter(published_state__isnull=True)
    elif state:
        proposals = proposals.filter(published_state=state)
    if filters.get("q"):
        condition = search_filter(filters["q"])
        if condition is not None:
            proposals = proposals.filter(condition)
    if filters.get("official"):
        proposals = proposals.filter(official=True)
    if user.is_authenticated:
        if filters.get("mine"):
            proposals = proposals.filter(author=user, official=False)
        if filters.get("supported"):
            proposals = proposals.filter(supports__user=user)
    return proposals


def _ordered(proposals: QuerySet[Proposal], order: str, seed: int) -> QuerySet[Proposal]:
    if order == "recent":
        proposals = proposals.order_by("-published_at", "-id")
    elif order == "most_supported":
        proposals = proposals.order_by("-supports_count", "-published_at", "-id")
    elif order == "most_commented":
        proposals = with_comment_count(proposals, "comment_total").order_by("-comment_total", "-published_at", "-id")
    else:
        proposals = proposals.annotate(random_key=random_key(seed)).order_by("random_key", "id")
    return proposals


def _for_cards(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return proposals.select_related("author", "category", "scope", "published_state").defer(
        "search_text", "answer", "custom_values"
    )


def proposals_for_list(
    component: Component, user: User | AnonymousUser, *, filters: dict, seed: int = 0
) -> QuerySet[Proposal]:
    """The ideas the public list shows with `filters` (cleaned values of
    the filter form), ordered; cards need nothing more than this queryset."""
    order = filters.get("order") or component.settings_of().default_order
    return _for_cards(_ordered(_filtered(component, user, filters), order, seed))


class _MostCommentedIds:
    """Ids of the filtered ideas, most commented first, for the paginator:
    the comment counts come from one grouped query joined to the ideas (a
    subquery per idea costs a lookup for each of 10,000 ideas)."""

    def __init__(self, component: Component, proposals: QuerySet[Proposal]) -> None:
        self.component, self.proposals = component, proposals.order_by()

    def count(self) -> int:
        return self.proposals.count()

    def all_ids(self) -> np.ndarray:
        """The ids of the whole list in its order, in one row (see `_all_ids`)."""
        sql, params = self._sql(None)
        return _fetch_ids(sql, params, "position")

    def rows(self, start: int, stop: int, *, with_length: bool = True) -> list[tuple[int, int]]:
        """(id, how many ideas the list holds) of the ideas start to stop
        (without `with_length`: 0 for the length, which is not counted)."""
        sql, params = self._sql("COUNT(*) OVER ()" if with_length else "0")
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", (*params, stop - start, start))
            return [(row[0], row[1]) for row in cursor.fetchall()]

    def _sql(self, length: str | None) -> tuple[str, tuple]:
        """The list in order: (id, `length`), or (id, position) without `length`."""
        base_sql, base_params = self.proposals.values("id", "published_at").query.sql_with_params()
        counts = (
            Comment.objects.filter(
                content_type=ContentType.objects.get_for_model(Proposal),
                component=self.component,
                deleted_at__isnull=True,
            )
            .order_by()
            .values("object_id")
            .annotate(n=Count("id"))
            .values("object_id", "n")
        )
        counts_sql, counts_params = counts.query.sql_with_params()
        quote = connection.ops.quote_name
        ordering = f"COALESCE(c.{quote('n')}, 0) DESC, b.{quote('published_at')} DESC, b.{quote('id')} DESC"
        second = length if length is not None else f"ROW_NUMBER() OVER (ORDER BY {ordering})"
        sql = (
            f"SELECT b.{quote('id')} AS id, {second} AS position FROM ({base_sql}) b "
            f"LEFT JOIN ({counts_sql}) c "
            f"ON c.{quote('object_id')} = b.{quote('id')} "
            f"ORDER BY {ordering}"
        )
        return sql, (*base_params, *counts_params)


class _OrderedIds:
    """Ids of the filtered ideas in the list's order, with the list's length
    read in the same query (a window count: the database counts the rows it
    sorts anyway)."""

    def __init__(self, proposals: QuerySet[Proposal]) -> None:
        self.proposals = proposals

    def count(self) -> int:
        return self.proposals.order_by().count()

    def rows(self, start: int, stop: int, *, with_length: bool = True) -> list[tuple[int, int]]:
        """(id, how many ideas the list holds) of the ideas start to stop
        (without `with_length`: 0 for the length, which is not counted)."""
        if not with_length:
            return [(pk, 0) for pk in self.proposals.values_list("id", flat=True)[start:stop]]
        return list(
            self.proposals.annotate(list_length=Window(Count("id"))).values_list("id", "list_length")[start:stop]
        )


def _page_number(number: int | str | None) -> int:
    """The page asked for, as Paginator.get_page reads it: not a number is page 1."""
    try:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError
        return int(number)  # type: ignore[arg-type]  # None raises TypeError
    except (TypeError, ValueError):
        return 1


def _id_page(
    ids: "_OrderedIds | _MostCommentedIds", number: int | str | None, per_page: int, length: int | None = None
) -> Page:
    """The page of ids Paginator.get_page would give (a page past the end
    or below 1 is the last one), in one query: the ids of the page and the
    list's length together. Only a page past the end costs two more (the
    length, then the last page). With the list's `length` known (counted
    for this content version), the ids alone: the database sorts the list
    but no longer counts it (a window count over the whole list costs more
    than the sort), and a page past the end costs nothing more."""
    wanted = _page_number(number)
    if length is not None:
        paginator: Paginator[int] = Paginator([], per_page)
        paginator.__dict__["count"] = length
        if not 1 <= wanted <= paginator.num_pages:
            wanted = paginator.num_pages
        rows = ids.rows((wanted - 1) * per_page, wanted * per_page, with_length=False)
        return Page([pk for pk, _length in rows], wanted, paginator)
    if wanted >= 1:
        rows = ids.rows((wanted - 1) * per_page, wanted * per_page)
        if rows or wanted == 1:
            paginator = Paginator([], per_page)
            paginator.__dict__["count"] = rows[0][1] if rows else 0  # the cached property, read with the ids
            return Page([pk for pk, _length in rows], wanted, paginator)
    paginator = Paginator([], per_page)
    paginator.__dict__["count"] = ids.count()
    last = paginator.num_pages
    rows = ids.rows((last - 1) * per_page, last * per_page)
    return Page([pk for pk, _length in rows], last, paginator)


def with_pictures(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """`pictures` on each idea: its pictures in order (a card shows the first), one query."""
    return proposals.prefetch_related(
        Prefetch(
            "attachments",
            queryset=Attachment.objects.filter(kind=Attachment.Kind.IMAGE).order_by("weight", "id"),
            to_attr="pictures",
        )
    )


def _all_ids(proposals: QuerySet[Proposal]) -> np.ndarray:
    """The ids of the list's ideas (in no order), in one query."""
    sql, params = proposals.order_by().values("id").query.sql_with_params()
    return _fetch_ids(f"SELECT ids.id FROM ({sql}) ids", params)


def _fetch_ids(sql: str, params: Sequence[Any], order: str = "") -> np.ndarray:
    """The ids the query `sql` gives (its first column), in the order of the
    SQL expression `order`. On PostgreSQL in one row (string_agg): about
    10,000 ids cost the database a scan and Python a split, not 10,000 rows."""
    ordering = f" ORDER BY {order}" if order else ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT string_agg(CAST(q.id AS text), ','{ordering}) FROM ({sql}) q(id)", params)
            text = cursor.fetchone()[0]
            return np.array(text.split(","), dtype=np.int64) if text else np.zeros(0, dtype=np.int64)
        cursor.execute(f"SELECT * FROM ({sql}) q{ordering}", params)
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def _random_slice(ids: np.ndarray, seed: int, start: int, stop: int) -> list[int]:
    """The ids `start` to `stop` of the list in the random order of `seed`:
    the same keys as `random_key` (integer arithmetic, ties by id), computed
    for the whole list at once and only the first `stop` sorted."""
    if start >= len(ids):
        return []
    seed = int(seed) % 1_000_003
    keys = ((ids * 7919 + seed) % 1_000_003 * 104_729 + seed) % 999_983
    ranked = keys * (1 << 43) + ids  # keys < 2**20: the key, then the id (ids < 2**43)
    if stop < len(ids):
        first = np.argpartition(ranked, stop - 1)[:stop]
    else:
        first = np.arange(len(ids))
    return ids[first[np.argsort(ranked[first])]][start:stop].tolist()


def _page_of(ids: np.ndarray, number: int | str | None, per_page: int, cut: Callable[[int, int], list[int]]) -> Page:
    """The page Paginator.get_page would give of a list of `ids` held here (a
    page past the end or below 1 is the last one); `cut(start, stop)` gives
    the ids of the page in the list's order."""
    paginator: Paginator[int] = Paginator([], per_page)
    paginator.__dict__["count"] = len(ids)
    wanted = _page_number(number)
    if not 1 <= wanted <= paginator.num_pages:
        wanted = paginator.num_pages
    return Page(cut((wanted - 1) * per_page, wanted * per_page), wanted, paginator)


def _length_key(component: Component, user: User | AnonymousUser, filters: dict) -> tuple:
    """What the list's length depends on: the component and the filters (not
    the order), and the person for "my ideas" and "ideas I support"."""
    shown = tuple(sorted((name, repr(value)) for name, value in filters.items() if name != "order" and value))
    person = user.pk if filters.get("mine") or filters.get("supported") else None
    return ("proposals_list_length", component.pk, person, shown)


def list_page(
    component: Component,
    user: User | AnonymousUser,
    *,
    filters: dict,
    seed: int = 0,
    number: int | str | None = None,
    per_page: int = 12,
    version: int | None = None,
) -> tuple[Page, list[Proposal]]:
    """One page of the public list: (paginator page, its ideas ready for
    cards). Three queries whatever the page: the ids of the page in list
    order with the list's length (narrow: no joins, no long text, so the
    sort of the whole list and far pages stay cheap), then the page's ideas
    with what their cards show, and their pictures (a page past the end
    costs two more: the length, then the last page).
    Each idea gets `comments_shown` (its comments not deleted),
    `visitor_supports` (whether the person supports it) and `is_hidden`
    (False: lists hold no hidden idea), read with the ideas (subqueries on
    twelve rows), not in queries of their own.
    `version`: the content version the request read (request.content_version).
    For it the process keeps the list's ids in the random and most-commented
    orders (pagecache.content_memo: the page is cut from them, no query) and
    its length in the others (pagecache.counted: the ids of the page are
    asked without a count); a write moves the version and the list is read
    again, in one query as without it."""
    order = filters.get("order") or component.settings_of().default_order
    key = _length_key(component, user, filters)
    if version is not None and order in ("random", "most_commented"):
        # The list's ids kept for this content version: the page is cut from them
        # (the random order computed here, the same as random_key's); the
        # queryset is built only when they are read.
        if order == "random":
            members = pagecache.content_memo(
                ("members", *key), version, lambda: _all_ids(_filtered(component, user, filters)), large=True
            )
            page = _page_of(members, number, per_page, lambda start, stop: _random_slice(members, seed, start, stop))
        else:
            ordered = pagecache.content_memo(
                ("most_commented", *key),
                version,
                lambda: _MostCommentedIds(component, _filtered(component, user, filters)).all_ids(),
                large=True,
            )
            page = _page_of(ordered, number, per_page, lambda start, stop: ordered[start:stop].tolist())
    else:
        proposals = _filtered(component, user, filters)
        ids: _MostCommentedIds | _OrderedIds
        if order == "most_commented":
            ids = _MostCommentedIds(component, proposals)
        else:
            ids = _OrderedIds(_ordered(proposals, order, seed))
        page = _id_page(ids, number, per_page, pagecache.counted(key, version))
        pagecache.keep_count(key, version, page.paginator.count)
    page_ids = list(page.object_list)
    by_id = {}
    if page_ids:
        ideas = with_comment_count(Proposal.objects.filter(pk__in=page_ids), "comments_shown")
        if user.is_authenticated:
            ideas = ideas.annotate(visitor_supports=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)))
        # The author only: the category, scope and state come from the memo (card_terms).
        ideas = ideas.select_related("author").defer("search_text", "answer", "custom_values")
        by_id = {p.pk: p for p in with_pictures(ideas).order_by()}
    cards = [by_id[pk] for pk in page_ids if pk in by_id]
    card_terms(component, cards)
    for proposal in cards:
        proposal.component = component
        setattr(proposal, "is_hidden", False)
        if not user.is_authenticated:
            setattr(proposal, "visitor_supports", False)
    return page, cards


def supported_ids(user: User | AnonymousUser, proposal_ids: Iterable[int]) -> set[int]:
    """Which of these ideas the person supports: one query."""
    if not user.is_authenticated or not proposal_ids:
        return set()
    return set(
        Support.objects.filter(user=user, proposal_id__in=list(proposal_ids)).values_list("proposal_id", flat=True)
    )


def annotate_cards(proposals: Sequence[Proposal]) -> None:
    """Comment counts of the cards of a page: one query. (Lists hold no
    hidden idea: they read `Proposal.objects.visible()`.)"""
    counts = comment_counts(Proposal, [p.pk for p in proposals])
    for proposal in proposals:
        setattr(proposal, "comments_shown", counts.get(proposal.pk, 0))
        setattr(proposal, "is_hidden", getattr(proposal, "is_hidden", False))


def supports_summary(user: User | AnonymousUser, component: Component) -> dict:
    """What the visitor has left: {"given", "limit", "remaining", "minimum", "counting"}
    (rules.visitor_counts: one query, read once per page)."""
    limit = component.settings_of().supports_limit
    minimum = component.settings_of().supports_minimum
    given = rules.supports_given(user, component) if user.is_authenticated else 0
    return {
        "given": given,
        "limit": limit,
        "remaining": max(limit - given, 0) if limit else None,
        "minimum": minimum,
        "counting": not minimum or given >= minimum,
        "missing": max(minimum - given, 0) if minimum else 0,
    }


def proposals_left(user: User | AnonymousUser, component: Component) -> int | None:
    limit = component.settings_of().proposal_limit
    if not limit or not user.is_authenticated:
        return None
    return max(limit - rules.published_proposals_count(user, component), 0)


def map_points(proposals: QuerySet[Proposal], limit: int = 1000) -> list[dict]:
    """The located ideas of a list, as plain data for the map and its list alternative."""
    rows = proposals.exclude(latitude__isnull=True).values(
        "id", "title", "address", "latitude", "longitude", "supports_count"
    )[:limit]
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "address": row["address"],
            "lat": float(row["latitude"]),  # type: ignore[arg-type]  # located
            "lng": float(row["longitude"]),  # type: ignore[arg-type]  # located
            "supports": row["supports_count"],
        }
        for row in rows
    ]


# --- one idea -------------------------------------------------------------------------------


def proposal_for(
    component: Component, user: User | AnonymousUser, proposal_id: int, *, page: bool = False
) -> Proposal | None:
    """An idea the person may see (drafts only to their author), with what
    its page shows, `is_hidden` when moderation hid it (its page then
    shows nothing of it) and `visitor_supports`. For its `page`, also
    `visitor_follows` (the follow button), `thread_total` (the count of
    its conversation) and whether other components mention it
    (`mentions.with_marks`), so that none asks a query of its own."""
    ideas = Proposal.objects.filter(component=component, pk=proposal_id).with_hidden_flag()
    if user.is_authenticated:  # `visitor_supports`: whether the person supports it (no query of its own)
        ideas = ideas.annotate(visitor_supports=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)))
    if page:
        ideas = mentions.with_marks(with_thread_total(with_following(ideas, user)))
    proposal = (
        ideas.select_related("author", "category", "scope", "published_state").prefetch_related("attachments").first()
    )
    if proposal is None:
        return None
    if not user.is_authenticated:
        setattr(proposal, "visitor_supports", False)
    proposal.component = component
    if not permissions.can(user, "proposals.view", proposal):
        return None
    return proposal


def my_draft(component: Component, user: User | AnonymousUser) -> Proposal | None:
    if not user.is_authenticated:
        return None
    return (
        Proposal.objects.filter(component=component, author=user, status=Proposal.Status.DRAFT, official=False)
        .order_by("-id")
        .first()
    )


def custom_values_for(proposal: Proposal, user: User | AnonymousUser | None) -> list[tuple[CustomField, str]]:
    """(field, shown value) of the idea's answered custom fields that the
    person may see: public ones for everyone, confidential ones for staff
    and the author only."""
    if not proposal.custom_values:
        return []  # (the component's fields are not read for an idea without answers)
    show_confidential = None
    shown = []
    for field in custom_fields(proposal.component):
        if field.key not in (proposal.custom_values or {}):
            continue
        if field.confidential:
            if show_confidential is None:
                show_confidential = bool(
                    user is not None and permissions.can(user, "proposals.view_confidential", proposal)
                )
            if not show_confidential:
                continue
        shown.append((field, display_value(field, proposal.custom_values[field.key])))
    return shown


def public_custom_values(proposal: Proposal) -> list[tuple[CustomField, str]]:
    """For embeds, exports and search: never a confidential field."""
    return [
        (field, display_value(field, proposal.custom_values[field.key]))
        for field in custom_fields(proposal.component)
        if not field.confidential and field.key in (proposal.custom_values or {})
    ]


def display_value(field: CustomField, value: Any) -> str:
    if field.kind == CustomField.Kind.CHECKBOX:
        return _("Yes") if value else _("No")
    if field.kind == CustomField.Kind.CHOICE:
        for choice in field.choices:
            if choice.get("value") == value:
                return translated(choice.get("label")) or str(value)
    return str(value)


def similar_proposals(
    component: Component, *, title: str, body: str = "", exclude_id: int | None = None, limit: int = 5
) -> list[Proposal]:
    """Published ideas that share words (stems, accents folded) with a new
    idea, the title weighing double. Candidates come from one indexed-free
    query on the title's stems; they are ranked in Python."""
    title_stems = set(stems(title))
    body_stems = set(stems(body)) - title_stems
    if not title_stems and not body_stems:
        return []
    keys = list(title_stems)[:8] or list(body_stems)[:8]
    condition = Q()
    for word in keys:
        condition |= Q(search_text__contains=f" {word} ")
    candidates = (
        Proposal.objects.filter(component=component, status=Proposal.Status.PUBLISHED)
        .visible()
        .filter(condition)
        .exclude(pk=exclude_id)
        .only("id", "title", "search_text", "supports_count", "component_id")[:300]
    )
    scored = []
    for candidate in candidates:
        words = set(candidate.search_text.split())
        score = 2 * len(words & title_stems) + len(words & body_stems)
        overlap = len(words & (title_stems | body_stems)) / max(len(title_stems | body_stems), 1)
        if score >= 2 and overlap >= 0.2:
            scored.append((score, candidate.supports_count, candidate))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].pk))
    result = [candidate for _score, _supports, candidate in scored[:limit]]
    for candidate in result:
        candidate.component = component
    return result


def public_proposals(component: Component) -> QuerySet[Proposal]:
    """Published and withdrawn ideas that moderation did not hide, when the
    component is public: for search and open-data exports."""
    if not component.is_public:
        return Proposal.objects.none()
    return Proposal.objects.filter(component=component).published().visible()


def public_proposals_of(component_ids: Iterable[int]) -> QuerySet[Proposal]:
    """The ideas any visitor sees in these components (public ones, chosen by the
    caller: agora.api.kit.public_components), as `public_proposals` gives them for
    one: published and withdrawn, nothing moderation hid, no draft."""
    return (
        Proposal.objects.filter(component__in=list(component_ids))
        .published()
        .visible()
        .select_related("author", "published_state")
        .defer("search_text", "answer", "custom_values")
    )


def supports_modes(components: Iterable[Component]) -> dict[int, str]:
    """{component id: how its supports show now} ("hidden": not shown, as on the pages)."""
    return {component.pk: supports_mode(component) for component in components}
