"""Reads of comments: a page of threads in a fixed number of queries, and
comment counts for many resources at once."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from agora.accounts.models import User
from agora.comments import registry
from agora.comments.models import Comment, CommentVote
from agora.core.models import Organization
from agora.core.numbers import MAX_PAGE, parse_int

_M = TypeVar("_M", bound=Model)

ORDERS = {
    "oldest": ("created_at", "id"),
    "recent": ("-created_at", "-id"),
    "best": ((F("up_count") - F("down_count")).desc(), "created_at", "id"),
}
DEFAULT_ORDER = "oldest"


@dataclass
class ThreadPage:
    comments: list  # top comments, each with `.children` (and theirs), ready to show
    number: int
    per_page: int
    has_next: bool
    total: int  # comments on the resource (deleted ones included: they keep their place)
    order: str
    my_votes: dict = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def _of(target: Model) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


def thread_page(
    target: Model,
    *,
    user: User | AnonymousUser | None = None,
    page: int | str = 1,
    per_page: int = 20,
    order: str = DEFAULT_ORDER,
    total: int | None = None,
) -> ThreadPage:
    """Top comments of page `page` with all their replies, authors, the
    mentioned people, the viewer's votes and moderation state: at most 4
    queries whatever the page size or the number of replies (the count, the
    top comments, their replies, the people mentioned), 3 when the caller
    gives `total` (the comments on `target`, deleted ones included: a page
    that read it with the target, `with_thread_total`). The viewer's votes
    come with the comments; the people mentioned are read only when a
    comment's text has an "@"; the replies only when the count says there
    are comments besides the top ones."""
    order = order if order in ORDERS else DEFAULT_ORDER
    # A page number from the query string: past the last page is an empty page; not a number, the first.
    page = parse_int(page, minimum=1, maximum=MAX_PAGE) or 1
    scope = Comment.objects.filter(**_of(target))
    if total is None:
        total = scope.count()
    offset = (page - 1) * per_page
    shown = scope.with_hidden_flag()  # hidden comments keep their place, without their text
    if user is not None and user.is_authenticated:
        votes = CommentVote.objects.filter(comment=OuterRef("pk"), user=user).values("value")[:1]
        shown = shown.annotate(my_vote=Coalesce(Subquery(votes, output_field=IntegerField()), Value(0)))
    roots = list(
        shown.filter(depth=0).select_related("author").order_by(*ORDERS[order])[offset : offset + per_page + 1]
    )
    has_next = len(roots) > per_page
    roots = roots[:per_page]
    replies = []
    # Every comment of the target is a root shown here or before: no reply to read.
    every_one_a_root = not has_next and offset + len(roots) == total
    if roots and not every_one_a_root:
        replies = list(
            shown.filter(root_id__in=[c.pk for c in roots], depth__gt=0)
            .select_related("author")
            .order_by("created_at", "id")
        )
    everything = [*roots, *replies]
    mentions: dict[int, dict[str, str]] = {}
    with_mentions = [c.pk for c in everything if "@" in (c.body or "")]  # a mention is written "@nickname"
    if with_mentions:
        for comment_id, nickname in Comment.mentioned.through.objects.filter(comment_id__in=with_mentions).values_list(
            "comment_id", "user__nickname"
        ):
            mentions.setdefault(comment_id, {})[nickname.lower()] = nickname
    my_votes: dict[int, int] = {}
    by_id = {}
    for comment in everything:
        comment.children = []
        comment.linked_nicknames = mentions.get(comment.pk, {})
        vote = getattr(comment, "my_vote", 0)
        comment.my_vote = vote
        if vote:
            my_votes[comment.pk] = vote
        by_id[comment.pk] = comment
    for comment in replies:
        parent = by_id.get(comment.parent_id)
        if parent is not None:
            parent.children.append(comment)
    return ThreadPage(
        comments=roots, number=page, per_page=per_page, has_next=has_next, total=total, order=order, my_votes=my_votes
    )


def with_thread_total(queryset: QuerySet[_M], name: str = "thread_total") -> QuerySet[_M]:
    """Annotate a queryset of a commentable model with the number of its
    comments, deleted ones included (a subquery): what `thread_page` counts
    when it is not given `total` (the comments tag reads `thread_total` on
    its target)."""
    counts = (
        Comment.objects.filter(content_type=ContentType.objects.get_for_model(queryset.model), object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(**{name: Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))})


def comment_count(target: Model) -> int:
    return Comment.objects.filter(**_of(target), deleted_at__isnull=True).count()


def comment_counts(model: type[Model], ids: Iterable[int]) -> dict[int, int]:
    """{object id: number of comments not deleted} for many objects of
    `model`, in one query (objects without comments are left out)."""
    ids = list(ids)
    if not ids:
        return {}
    rows = (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=ids, deleted_at__isnull=True
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("id"))
        .values_list("object_id", "n")
    )
    return dict(rows)


def with_comment_count(queryset: QuerySet[_M], name: str = "comment_count") -> QuerySet[Any]:
    """Annotate a queryset of a commentable model with its comment count (a
    subquery, typed Any: its rows gain the attribute `name`), e.g. to order ideas by "most commented":

        with_comment_count(Idea.objects.filter(...)).order_by("-comment_count")"""
    counts = (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(queryset.model),
            object_id=OuterRef("pk"),
            deleted_at__isnull=True,
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return queryset.annotate(**{name: Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))})


def member_nicknames(organization: Organization, prefix: str, *, limit: int = 8) -> list[dict]:
    """Public nicknames (and public names) of the organization's members
    starting with `prefix`, for the mention autocomplete. Never e-mails."""
    prefix = (prefix or "").lstrip("@").strip()
    if len(prefix) < 1:
        return []
    people = (
        User.objects.filter(
            memberships__organization=organization,
            memberships__blocked_at__isnull=True,
            is_active=True,
            deleted_at__isnull=True,
            nickname__istartswith=prefix,
        )
        .order_by("nickname")
        .only("nickname", "name", "deleted_at")[:limit]
    )
    return [{"nickname": person.nickname, "name": person.public_name} for person in people]


def public_comments(component_ids: Iterable[int]) -> QuerySet[Comment]:
    """Comments of these components (public ones, chosen by the caller: the
    public API) that moderation did not hide and nobody deleted; whether each
    one's resource is public is `public_targets`'s question."""
    return (
        Comment.objects.filter(component__in=list(component_ids), deleted_at__isnull=True)
        .visible()
        .select_related("author", "content_type")
    )


def public_targets(comments: Iterable[Comment]) -> dict[tuple[int, int], Model]:
    """{(content type id, object id): resource} for the resources of these comments
    that an anonymous visitor sees: not hidden by moderation, and visible by their
    component's adapter (`Commentable.is_visible`: no draft). One query per kind of
    resource."""
    wanted: dict[int, set[int]] = {}
    for comment in comments:
        wanted.setdefault(comment.content_type_id, set()).add(comment.object_id)
    anonymous = AnonymousUser()
    found: dict[tuple[int, int], Model] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        adapter = registry.adapter_for(model) if model is not None else None
        if model is None or adapter is None:
            continue
        queryset = model._default_manager.filter(pk__in=ids)
        if hasattr(queryset, "visible"):
            queryset = queryset.visible()
        for obj in queryset:
            if adapter.is_visible(anonymous, obj):
                found[(type_id, obj.pk)] = obj
    return found
