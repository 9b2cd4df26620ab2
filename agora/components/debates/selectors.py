"""Reads of the debates component. Hidden debates (moderation) are left out of
every public read; a page of debates reads its comment figures in one query."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import pgettext

from agora import permissions
from agora.accounts.models import User
from agora.comments.models import Comment
from agora.components.debates.models import Debate, DebateLike, DebateUpdate
from agora.components.models import Component
from agora.core.formats import number, percent

STATES = ("open", "upcoming", "closed")


@dataclass
class Summary:
    """What the comments of a debate say: how many for, against and neutral,
    and (for the debate's page) the most supported argument of each side."""

    comments: int = 0
    for_count: int = 0
    against_count: int = 0
    neutral_count: int = 0
    best_for: Comment | None = None
    best_against: Comment | None = None
    positions: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.positions = self.for_count + self.against_count + self.neutral_count

    def share(self, count: int) -> float:
        """The part of the comments that took a position, 0 to 1."""
        return count / self.positions if self.positions else 0.0

    @property
    def chart(self) -> list[tuple[str, int, str]]:
        """The rows of the page's bar chart: each position, its count and its share in words."""
        return [
            (label, count, f"{number(count)} ({percent(100 * self.share(count))})")
            for label, count in (
                (pgettext("debate", "For"), self.for_count),
                (pgettext("debate", "Against"), self.against_count),
                (pgettext("debate", "Neutral"), self.neutral_count),
            )
        ]


def _comments_of(model_ids: Iterable[int]) -> QuerySet[Comment]:
    """Comments that count: not deleted, not hidden by moderation."""
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Debate), object_id__in=model_ids, deleted_at__isnull=True
    ).visible()


def summaries(debates: Iterable[Debate]) -> dict[int, Summary]:
    """{debate id: Summary without the best arguments} for many debates, in one query."""
    ids = [debate.pk for debate in debates]
    if not ids:
        return {}
    rows = (
        _comments_of(ids)
        .order_by()
        .values("object_id")
        .annotate(
            total=Count("id"),
            pro=Count("id", filter=Q(alignment=Comment.Alignment.FOR, depth=0)),
            con=Count("id", filter=Q(alignment=Comment.Alignment.AGAINST, depth=0)),
            neutral=Count("id", filter=Q(alignment=Comment.Alignment.NEUTRAL, depth=0)),
        )
    )
    found = {row["object_id"]: Summary(row["total"], row["pro"], row["con"], row["neutral"]) for row in rows}
    return {pk: found.get(pk, Summary()) for pk in ids}


def like_counts(debates: Iterable[Debate]) -> dict[int, int]:
    """{debate id: likes} for a page of debates, in one query."""
    ids = [debate.pk for debate in debates]
    rows = DebateLike.objects.filter(debate_id__in=ids).values("debate_id").annotate(n=Count("id")).order_by()
    found = {row["debate_id"]: row["n"] for row in rows}
    return {pk: found.get(pk, 0) for pk in ids}


def liked_by(debate: Debate, user: User | AnonymousUser) -> bool:
    return user.is_authenticated and DebateLike.objects.filter(debate=debate, person=user).exists()


def summary(debate: Debate) -> Summary:
    """The live summary of one debate: the counts (one query) and the most
    up-voted argument for and against (one query: the first of each side by
    a window function), an argument with at least one up-vote."""
    result = summaries([debate])[debate.pk]
    best = (
        _comments_of([debate.pk])
        .filter(depth=0, alignment__in=[Comment.Alignment.FOR, Comment.Alignment.AGAINST], up_count__gt=0)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("alignment")],
                order_by=[F("up_count").desc(), F("created_at").asc(), F("id").asc()],
            )
        )
        .filter(rank=1)
        .select_related("author")
    )
    for comment in best:
        if comment.alignment == Comment.Alignment.FOR:
            result.best_for = comment
        else:
            result.best_against = comment
    return result


def debates_for(
    component: Component, *, state: str = "", category_id: int | None = None, scope_id: int | None = None
) -> QuerySet[Debate]:
    """The debates of a component anyone who sees it reads (hidden ones left
    out), filtered, open ones first then newest."""
    debates = Debate.objects.filter(component=component).visible().select_related("author", "category", "scope")
    now = timezone.now()
    if state == "open":
        debates = debates.open(now)
    elif state == "upcoming":
        debates = debates.upcoming(now)
    elif state == "closed":
        debates = debates.closed(now)
    if category_id:
        debates = debates.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    if scope_id:
        debates = debates.filter(scope_id=scope_id)
    return debates.order_by(F("closed_at").desc(nulls_first=True), "-created_at", "-id")


def debate_for(component: Component, user: User | AnonymousUser, debate_id: int) -> Debate | None:
    """One debate of the component as `user` may read it (None: not found, or
    hidden and the person is no moderator of the space); `is_hidden` says
    whether moderation hid it."""
    debate = (
        Debate.objects.filter(component=component, pk=debate_id)
        .with_hidden_flag()
        .select_related("author", "category", "scope", "closed_by")
        .first()
    )
    if debate is None:
        return None
    debate.component = component
    if debate.is_hidden and not permissions.can(user, "moderation.manage", component.space):
        return None
    return debate


def updates_of(debate: Debate) -> list[DebateUpdate]:
    return list(debate.updates.all())


def admin_debates(component: Component) -> QuerySet[Debate]:
    """Every debate of the component, hidden ones with their flag, for the officers."""
    return (
        Debate.objects.filter(component=component)
        .with_hidden_flag()
        .select_related("author", "category", "scope")
        .order_by("-created_at", "-id")
    )


def public_debates(component: Component) -> list[Debate]:
    """Debates anyone may read, only when the component itself is public: for
    exports, search and open data, which do not know who is asking."""
    if not component.is_public:
        return []
    debates = list(
        Debate.objects.filter(component=component)
        .visible()
        .select_related("author", "category", "scope")
        .order_by("pk")
    )
    for debate in debates:
        debate.component = component
    return debates
