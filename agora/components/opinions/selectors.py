"""Reads of the opinion maps: the next statement to vote on, the map and its
tables (from the stored analysis: no page computes it), the officers' report."""

from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate

from agora.accounts.models import User
from agora.components.models import Component
from agora.components.opinions.models import Conversation, Participant, Result, Statement, Vote


def conversation_for(component: Component, *, with_result: bool = True) -> Conversation | None:
    """The component's conversation; `with_result`: with its stored analysis
    (a JSON document of a few hundred kilobytes on a large map)."""
    found = Conversation.objects.filter(component=component)
    if with_result:
        # The analysis' document is read by opinion_map only when this process has not built its map yet.
        found = found.select_related("result").defer("result__data", "result__state")
    return found.first()


def participant_of(conversation: Conversation, user: User) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(conversation=conversation, user=user).first()


def published(conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation=conversation, state=Statement.State.PUBLISHED)


def next_statement(conversation: Conversation, participant: Participant | None) -> Statement | None:
    """The published statement the participant has not voted on with the fewest
    votes (at the last analysis), the oldest first among equals."""
    statements = published(conversation)
    if participant is not None:
        statements = statements.exclude(Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk"))))
    return statements.order_by("vote_count", "id").first()


def own_votes(participant: Participant | None) -> dict[int, int]:
    if participant is None:
        return {}
    return dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))


def progress(conversation: Conversation, participant: Participant | None) -> tuple[int, int]:
    """(statements voted on, statements published)."""
    total = published(conversation).count()
    done = (
        Vote.objects.filter(participant=participant, statement__state=Statement.State.PUBLISHED).count()
        if participant
        else 0
    )
    return done, total


# The groups' colours on the map (contrast of at least 4.5:1 on white).
COLOURS = ("#0b5cad", "#b04500", "#1a7f37", "#7a3db8", "#a4262c")


@dataclass
class GroupRow:
    """One group's votes on one statement, in percentages of those in the group who saw it."""

    agree: int = 0
    disagree: int = 0
    passed: int = 0
    seen: int = 0

    @property
    def agree_pct(self) -> int:
        return round(100 * self.agree / self.seen) if self.seen else 0

    @property
    def disagree_pct(self) -> int:
        return round(100 * self.disagree / self.seen) if self.seen else 0

    @property
    def pass_pct(self) -> int:
        return round(100 * self.passed / self.seen) if self.seen else 0


@dataclass
class StatementRow:
    statement: Statement
    groups: list[GroupRow]
    total: GroupRow
    repful_for: str = ""
    score: float = 0.0
    mine: GroupRow | None = None  # the votes of the group a representative statement belongs to


@dataclass
class Group:
    number: int  # 1-based, for people
    size: int
    label: str
    representative: list[StatementRow] = field(default_factory=list)
    colour: str = ""
    hull: str = ""  # SVG points of the group's outline
    dots: list[tuple[float, float]] = field(default_factory=list)

    @property
    def dots_path(self) -> str:
        """The group's dots as one SVG path of circles (two arcs each), written here
        rather than by a template loop (10,000 dots took a second to render), with
        numbers never localised (a French decimal comma is not an SVG number)."""
        return "".join(f"M{x - 2.5:.1f} {y:.1f}a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0-5 0" for x, y in self.dots)


@dataclass
class OpinionMap:
    result: Result | None
    k: int = 0
    groups: list[Group] = field(default_factory=list)
    rows: list[StatementRow] = field(default_factory=list)
    consensus: list[StatementRow] = field(default_factory=list)
    consensus_disagree: list[StatementRow] = field(default_factory=list)
    divisive: list[StatementRow] = field(default_factory=list)
    own: tuple[float, float] | None = None
    own_group: int | None = None
    own_label: str = ""
    placed: int = 0
    width: int = 600
    height: int = 400


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain), counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


# Maps built in this process, by analysis (its id and date: a new analysis is a new key).
_MAPS: dict[tuple[int, Any], tuple["OpinionMap", dict[int, tuple[float, float]], dict[int, int]]] = {}
MAPS_KEPT = 8


def opinion_map(conversation: Conversation, participant: Participant | None = None) -> OpinionMap:
    """The map, groups and tables of the latest analysis, with the participant's own
    position. What is the same for everyone is built once per process and analysis
    (a map of 10,000 participants and 2,000 statements takes a few tenths of a second
    to build); pages only read it."""
    result = getattr(conversation, "result", None) if conversation.pk else None
    if result is None:
        result = Result.objects.filter(conversation=conversation).first()
    if result is None:
        return OpinionMap(result=None)
    key = (result.pk, result.computed_at)
    built = _MAPS.get(key)
    if built is None:
        built = _build_map(conversation, result)
        if len(_MAPS) >= MAPS_KEPT:
            _MAPS.clear()
        _MAPS[key] = built
    shared, positions, groups_of = built
    found = replace(shared, result=result)
    if participant is not None and participant.number in positions:
        found.own = positions[participant.number]
        found.own_group = groups_of.get(participant.number)
        if found.own_group is not None:
            found.own_label = chr(ord("A") + found.own_group)
    return found


def _build_map(
    conversation: Conversation, result: Result
) -> tuple[OpinionMap, dict[int, tuple[float, float]], dict[int, int]]:
    """The map of an analysis (shared by every page: read only), the participants'
    positions in SVG coordinates and their groups, by participant number."""
    found = OpinionMap(result=result)
    if not result.data.get("k"):
        return found, {}, {}
    data: dict[str, Any] = result.data
    k = int(data["k"])
    found.k = k
    statements = {s.pk: s for s in published(conversation)}
    group_votes = data.get("group_votes") or []
    rows: dict[int, StatementRow] = {}
    for pk, statement in statements.items():
        groups = []
        for g in range(k):
            counts = (group_votes[g] if g < len(group_votes) else {}).get(str(pk), {})
            seen = counts.get("seen", 0)
            groups.append(
                GroupRow(
                    counts.get("agree", 0),
                    counts.get("disagree", 0),
                    seen - counts.get("agree", 0) - counts.get("disagree", 0),
                    seen,
                )
            )
        total = GroupRow(
            *(sum(getattr(row, name) for row in groups) for name in ("agree", "disagree", "passed", "seen"))
        )
        rows[pk] = StatementRow(statement, groups, total)
    found.rows = [rows[pk] for pk in sorted(rows)]
    # positions -> SVG coordinates
    positions = {int(number): xy for number, xy in (data.get("positions") or {}).items()}
    groups_of = {int(number): g for number, g in (data.get("groups") or {}).items()}
    found.placed = len(groups_of)
    if positions:
        xs = [xy[0] for xy in positions.values()]
        ys = [xy[1] for xy in positions.values()]
        # The bounds once (a page of 10,000 dots computed them again for each dot: 30 s).
        low_x, low_y = min(xs), min(ys)
        margin = 20
        scale_x = (found.width - 2 * margin) / ((max(xs) - low_x) or 1.0)
        scale_y = (found.height - 2 * margin) / ((max(ys) - low_y) or 1.0)

        def to_svg(xy: list[float]) -> tuple[float, float]:
            return (round(margin + (xy[0] - low_x) * scale_x, 1), round(margin + (xy[1] - low_y) * scale_y, 1))

    sizes = data.get("group_sizes") or [0] * k
    dots_of: list[list[tuple[float, float]]] = [[] for _g in range(k)]
    if positions:
        for n, g in groups_of.items():
            if 0 <= g < k and n in positions:
                dots_of[g].append(to_svg(positions[n]))
    for g in range(k):
        group = Group(
            number=g + 1,
            size=int(sizes[g]) if g < len(sizes) else 0,
            label=chr(ord("A") + g),
            colour=COLOURS[g % len(COLOURS)],
        )
        for entry in (data.get("representative") or [[]] * k)[g] if g < len(data.get("representative") or []) else []:
            row = rows.get(int(entry["statement"]))
            if row is not None:
                group.representative.append(
                    StatementRow(
                        row.statement,
                        row.groups,
                        row.total,
                        entry.get("repful_for", ""),
                        entry.get("p_success", 0),
                        mine=row.groups[g],
                    )
                )
        if positions:
            dots = dots_of[g]
            group.hull = " ".join(f"{x},{y}" for x, y in _hull(dots))
            group.dots = dots
        found.groups.append(group)
    # consensus: statements every group agrees with (group-aware consensus, each group > 50 %)
    scores = {int(pk): v for pk, v in (data.get("group_consensus") or {}).items()}
    agreed = [
        row for pk, row in rows.items() if all(g.seen and g.agree * 2 > g.seen for g in row.groups) and pk in scores
    ]
    agreed.sort(key=lambda row: (-scores[row.statement.pk], row.statement.pk))
    found.consensus = agreed[:5]
    disagreed = [row for row in rows.values() if all(g.seen and g.disagree * 2 > g.seen for g in row.groups)]
    disagreed.sort(key=lambda row: (-min(g.disagree_pct for g in row.groups), row.statement.pk))
    found.consensus_disagree = disagreed[:5]
    # divisive: the widest gap between the groups' agreement
    divisive = [row for row in rows.values() if sum(1 for g in row.groups if g.seen) >= 2]
    for row in divisive:
        shares = [g.agree / g.seen for g in row.groups if g.seen]
        row.score = max(shares) - min(shares)
    divisive.sort(key=lambda row: (-row.score, row.statement.pk))
    found.divisive = [row for row in divisive if row.score > 0.3][:5]
    return found, {n: to_svg(xy) for n, xy in positions.items()} if positions else {}, groups_of


def votes_over_time(conversation: Conversation) -> list[tuple[Any, int]]:
    """Votes per day (first votes; a changed vote counts once, on its first day)."""
    return list(
        Vote.objects.filter(statement__conversation=conversation)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )


def pending_statements(conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation=conversation, state=Statement.State.PENDING).order_by("id")


def all_statements(conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation=conversation).order_by("id")
