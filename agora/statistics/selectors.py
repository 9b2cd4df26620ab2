"""Reads of participation statistics: the dashboards of the organization, a
space and a component, the funnel of a participatory budget, the
representativeness of an edition, the public figures. Each reads the
aggregate tables (a few GROUP BYs), never the components' rows.

Groups of fewer than SMALL_GROUP people (a district, an age bracket, a gender)
are never shown: their figure is None, and when a single group of a table is
hidden, the next smallest is hidden with it, so that no hidden figure can be
found by subtracting the shown ones from the total."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from agora.accounts.models import Membership, User
from agora.components.models import Component
from agora.core import pagecache
from agora.core.models import Organization
from agora.core.translations import translated
from agora.spaces.models import Space
from agora.statistics.kinds import BALLOT, CHANNELS, IDEA, KINDS, SUPPORT, channel_bit, kind_bit
from agora.statistics.models import DailyCount, DailyVisits, Participant, ReferencePopulation, StatisticsSettings
from agora.statistics.services import reference_values
from agora.taxonomy.models import Scope

SMALL_GROUP = 10
PUBLIC_SECONDS = 300


@dataclass(frozen=True)
class Where:
    """What a dashboard is about: the organization, one of its spaces or one component."""

    organization: Organization
    space: Space | None = None
    component: Component | None = None

    @property
    def level(self) -> int:
        if self.component is not None:
            return Participant.Level.COMPONENT
        return Participant.Level.SPACE if self.space is not None else Participant.Level.ORGANIZATION

    @property
    def scope_id(self) -> int:
        if self.component is not None:
            return self.component.pk
        return self.space.pk if self.space is not None else 0

    def participants(self) -> QuerySet[Participant]:
        return Participant.objects.filter(organization=self.organization, level=self.level, scope_id=self.scope_id)

    def counts(self) -> QuerySet[DailyCount]:
        rows = DailyCount.objects.filter(organization=self.organization)
        if self.component is not None:
            return rows.filter(space_id=self.component.space_id, component_id=self.component.pk)
        if self.space is not None:
            return rows.filter(space_id=self.space.pk)
        return rows


@dataclass
class Summary:
    participants: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)  # people who took part through each channel
    by_kind: dict[str, int] = field(default_factory=dict)  # people who did each kind of thing
    contributions: dict[str, int] = field(default_factory=dict)  # kind -> number
    contributions_by_channel: dict[str, int] = field(default_factory=dict)  # channel -> number

    @property
    def total_contributions(self) -> int:
        return sum(self.contributions.values())


def summary(where: Where) -> Summary:
    """Participants (distinct, by channel, by kind) and contributions (by kind, by channel): two queries."""
    result = Summary(by_channel=dict.fromkeys(CHANNELS, 0), by_kind=dict.fromkeys(KINDS, 0))
    groups = where.participants().order_by().values_list("kinds", "channels").annotate(n=Count("id"))
    for kinds, channels, number in groups:
        result.participants += number
        for channel in CHANNELS:
            if channels & channel_bit(channel):
                result.by_channel[channel] += number
        for kind in KINDS:
            if kinds & kind_bit(kind):
                result.by_kind[kind] += number
    rows = where.counts().order_by().values_list("kind", "channel").annotate(n=Sum("count"))
    for kind, channel, number in rows:
        result.contributions[kind] = result.contributions.get(kind, 0) + number
        result.contributions_by_channel[channel] = result.contributions_by_channel.get(channel, 0) + number
    return result


@dataclass(frozen=True)
class Period:
    start: date
    label: str
    contributions: dict[str, int]
    newcomers: int

    @property
    def total(self) -> int:
        return sum(self.contributions.values())


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def over_time(where: Where, *, by: str = "week", since: date | None = None) -> list[Period]:
    """Contributions per kind and people who took part for the first time, per
    day or week (ISO weeks, starting on Monday), from the first day with data
    (or `since`) to the last: two queries."""
    counts = where.counts()
    participants = where.participants()
    if since is not None:
        counts, participants = counts.filter(day__gte=since), participants.filter(first_day__gte=since)
    per_day: dict[date, dict[str, int]] = {}
    for day, kind, number in counts.order_by().values_list("day", "kind").annotate(n=Sum("count")):
        per_day.setdefault(day, {})[kind] = number
    newcomers = dict(participants.order_by().values_list("first_day").annotate(n=Count("id")))
    days = set(per_day) | set(newcomers)
    if not days:
        return []
    step = timedelta(days=7 if by == "week" else 1)
    first, last = min(days), max(days)
    if by == "week":
        first, last = _week_start(first), _week_start(last)
    periods = []
    current = first
    while current <= last:
        span = [current + timedelta(days=offset) for offset in range(step.days)]
        contributions: dict[str, int] = {}
        for day in span:
            for kind, number in per_day.get(day, {}).items():
                contributions[kind] = contributions.get(kind, 0) + number
        periods.append(Period(current, current.isoformat(), contributions, sum(newcomers.get(day, 0) for day in span)))
        current += step
    return periods


# --- groups of people, never fewer than SMALL_GROUP --------------------------------------------------


@dataclass(frozen=True)
class Group:
    value: str
    label: str
    count: int | None  # None: fewer than SMALL_GROUP people, not shown


def hide_small(counts: dict[str, int]) -> dict[str, int | None]:
    """Each group's count, None for the groups of fewer than SMALL_GROUP people;
    if exactly one group would be hidden, the next smallest is hidden with it
    (otherwise the total less the shown groups would give it away)."""
    shown: dict[str, int | None] = {
        value: (number if number >= SMALL_GROUP else None) for value, number in counts.items()
    }
    hidden = [value for value, number in shown.items() if number is None and counts[value] > 0]
    if len(hidden) == 1:
        visible = sorted((number, value) for value, number in shown.items() if number is not None)
        if visible:
            shown[visible[0][1]] = None
    return shown


def _district_labels(organization: Organization) -> dict[str, str]:
    return {
        str(scope.pk): translated(scope.name) or scope.code for scope in Scope.objects.filter(organization=organization)
    }


def by_district(where: Where, *, channel: str = "") -> tuple[list[Group], int | None]:
    """Participants per district (of their verification, or the one the
    participation was about), and those whose district is not known."""
    participants = where.participants()
    if channel:
        participants = participants.annotate(bit=_channel_bit_expression(channel)).filter(bit__gt=0)
    counts = {
        str(district): number
        for district, number in participants.order_by().values_list("district_id").annotate(n=Count("id"))
    }
    unknown = counts.pop("0", 0)
    labels = _district_labels(where.organization)
    shown = hide_small(counts)
    groups = sorted(
        (Group(value, labels.get(value, "?"), number) for value, number in shown.items()),
        key=lambda group: group.label,
    )
    return groups, (unknown if unknown >= SMALL_GROUP or unknown == 0 else None)


def _channel_bit_expression(channel: str) -> Any:
    return F("channels").bitand(channel_bit(channel))


# --- the participatory budget's funnel ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    count: int


def funnel(space: Space) -> list[Step]:
    """Visits of the space's pages → accounts created while it ran → people who
    filed ideas → people who supported → voters (every channel): each step in
    people, except visits (page views that came from outside the site)."""
    where = Where(space.organization, space=space)
    people = summary(where)
    visits = DailyVisits.objects.filter(organization=space.organization, space_id=space.pk)
    start = space.start_date or where.participants().order_by("first_day").values_list("first_day", flat=True).first()
    accounts = Membership.objects.filter(organization=space.organization)
    if start is not None:
        visits = visits.filter(day__gte=start)
        accounts = accounts.filter(joined_at__date__gte=start)
    if space.end_date is not None:
        visits = visits.filter(day__lte=space.end_date)
        accounts = accounts.filter(joined_at__date__lte=space.end_date)
    return [
        Step("visits", _("Visits"), visits.aggregate(n=Sum("visits"))["n"] or 0),
        Step("accounts", _("Accounts created"), accounts.count()),
        Step(IDEA, _("People who filed ideas"), people.by_kind.get(IDEA, 0)),
        Step(SUPPORT, _("People who supported ideas"), people.by_kind.get(SUPPORT, 0)),
        Step(BALLOT, _("Voters"), people.by_kind.get(BALLOT, 0)),
    ]


def visits(where: Where) -> dict[str, int]:
    rows = DailyVisits.objects.filter(organization=where.organization)
    if where.space is not None:
        rows = rows.filter(space_id=where.space.pk)
    return rows.aggregate(views=Sum("views"), visits=Sum("visits"))


# --- representativeness --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One group of a dimension: its participants (None when fewer than
    SMALL_GROUP), their share among those who gave the field, the group's share
    of the reference population and the index (participants' share ÷
    population's share: 1 is the population's own weight, below is
    under-represented)."""

    value: str
    label: str
    participants: int | None
    share: float | None
    population: int | None
    population_share: float | None

    @property
    def index(self) -> float | None:
        if self.share is None or not self.population_share:
            return None
        return self.share / self.population_share


@dataclass(frozen=True)
class Representation:
    dimension: str
    label: str
    groups: list[Comparison]
    answered: int  # participants who gave the field
    unanswered: int  # participants who did not
    total: int

    @property
    def unanswered_share(self) -> float | None:
        return self.unanswered / self.total if self.total else None

    @property
    def has_reference(self) -> bool:
        return any(group.population for group in self.groups)


FIELDS: dict[str, str] = {
    ReferencePopulation.Dimension.DISTRICT: "district_id",
    ReferencePopulation.Dimension.AGE_BRACKET: "age_bracket",
    ReferencePopulation.Dimension.GENDER: "gender",
}
# Values that say nothing of the group (a district not known, "prefer not to say").
UNANSWERED = {"", "0", User.Gender.UNDISCLOSED}


def representativeness(where: Where, *, channel: str = "") -> list[Representation]:
    """Per dimension (district, age bracket, gender), the participants of the
    space (through one channel, or all) compared with the reference population:
    one GROUP BY per dimension and one read of the reference."""
    participants = where.participants()
    if channel:
        participants = participants.annotate(bit=_channel_bit_expression(channel)).filter(bit__gt=0)
    reference: dict[str, dict[str, int]] = {}
    for dimension, value, people in ReferencePopulation.objects.filter(organization=where.organization).values_list(
        "dimension", "value", "population"
    ):
        reference.setdefault(dimension, {})[value] = people
    values = reference_values(where.organization)
    result = []
    for dimension, label in ReferencePopulation.Dimension.choices:
        column = FIELDS[dimension]
        counts = {
            str(value): number for value, number in participants.order_by().values_list(column).annotate(n=Count("id"))
        }
        total = sum(counts.values())
        unanswered = sum(number for value, number in counts.items() if value in UNANSWERED)
        known = {value: number for value, number in counts.items() if value not in UNANSWERED}
        answered = total - unanswered
        if total < SMALL_GROUP:
            known = {}
        shown = hide_small({value: known.get(value, 0) for value in values[dimension]} | known)
        population = reference.get(dimension, {})
        population_total = sum(population.values())
        groups = []
        for value, value_label in values[dimension].items():
            number = shown.get(value)
            groups.append(
                Comparison(
                    value,
                    value_label,
                    number,
                    number / answered if number is not None and answered else None,
                    population.get(value),
                    population[value] / population_total if population.get(value) and population_total else None,
                )
            )
        result.append(
            Representation(
                dimension,
                str(label),
                groups,
                answered if total >= SMALL_GROUP else 0,
                unanswered if total >= SMALL_GROUP else 0,
                total,
            )
        )
    return result


# --- public figures ---------------------------------------------------------------------------------------


def public_figures_enabled(organization: Organization) -> bool:
    """Memoised by settings version (agora.core.pagecache.memo): the space page reads it on every
    visit, and saving the setting moves that version."""
    return pagecache.memo(
        ("statistics-public-figures", organization.pk),
        lambda: StatisticsSettings.objects.filter(organization=organization, public_figures=True).exists(),
    )


def public_figures(organization: Organization, space: Space | None = None) -> list[tuple[str, int]]:
    """(label, number) of the public block: participants, then each kind of
    contribution the organization (or the space) has, kept PUBLIC_SECONDS in
    the shared cache per organization, space and language."""
    key = f"statistics-public:{organization.pk}:{space.pk if space else 0}:{translation.get_language()}"
    found = cache.get(key)
    if found is not None:
        return found
    figures = summary(Where(organization, space=space))
    result = [(_("Participants"), figures.participants)] if figures.participants else []
    for kind, label in KINDS.items():
        if figures.contributions.get(kind):
            result.append((str(label), figures.contributions[kind]))
    cache.set(key, result, PUBLIC_SECONDS)
    return result
