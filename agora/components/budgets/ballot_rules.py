"""The ballot rules, as pure functions (no database, no request).

One function per rule checks a ballot and returns the list of problems
(empty: the ballot is valid). The online ballot page, the desk, paper entry,
the importers' checks, the integrity check and the property tests all call
`check_ballot`, so a ballot accepted anywhere obeys the same rule.

A ballot is a mapping {project id: value}: value 1 for approval, envelope
and savings; the points given for points; the rank (1 = first) for ranking.

The rules are one enumeration, `Budget.Rule` (the budget's `rule` field,
`RuleSpec.rule` here); the count knows only the shape of a ballot
(`agora.tally.Kind`), given for each rule by `TALLY_KIND`.
"""

from dataclasses import dataclass, field
from typing import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.components.budgets.models import Budget
from agora.core.formats import money, percent
from agora.tally import Kind

Rule = Budget.Rule

# The shape of a ballot of each rule in the count: envelope and savings ballots
# are approval ballots there. A pabulib file's kind becomes IMPORTED_RULE.
TALLY_KIND = {
    Rule.APPROVAL: Kind.APPROVAL,
    Rule.ENVELOPE: Kind.APPROVAL,
    Rule.SAVINGS: Kind.APPROVAL,
    Rule.POINTS: Kind.POINTS,
    Rule.RANKING: Kind.RANKING,
}
IMPORTED_RULE = {Kind.APPROVAL: Rule.APPROVAL, Kind.POINTS: Rule.POINTS, Kind.RANKING: Rule.RANKING}


@dataclass(frozen=True)
class ProjectInfo:
    id: int
    cost: int
    category_id: int | None = None


@dataclass(frozen=True)
class RuleSpec:
    rule: Rule
    envelope: int
    min_projects: int = 0
    max_projects: int | None = None
    min_percent: int = 0
    max_per_category: int | None = None
    points_total: int = 100
    points_min: int = 1
    points_max: int | None = None
    rank_k: int = 3
    savings_target: int = 0

    @classmethod
    def of(cls, budget) -> "RuleSpec":
        return cls(
            rule=Rule(budget.rule),
            envelope=budget.envelope,
            min_projects=budget.min_projects,
            max_projects=budget.max_projects,
            min_percent=budget.min_percent,
            max_per_category=budget.max_per_category,
            points_total=budget.points_total,
            points_min=budget.points_min,
            points_max=budget.points_max,
            rank_k=budget.rank_k,
            savings_target=budget.savings_target,
        )


@dataclass
class Problem:
    code: str
    message: str


@dataclass
class Meter:
    """What the live meter shows: what is used and what is still allowed."""

    unit: str  # "euros", "points", "projects"
    used: int
    limit: int | None  # the most that may be used (None: no maximum)
    minimum: int = 0  # the least that must be used
    count: int = 0
    extra: dict = field(default_factory=dict)
    cost: int = 0  # the euros the chosen projects cost (shown for every rule)
    envelope: int = 0

    @property
    def remaining(self) -> int | None:
        """What is still allowed, never below 0 (over the limit: see `over`)."""
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def over(self) -> int:
        """How much the ballot is over the limit (0 when within it)."""
        return 0 if self.limit is None else max(self.used - self.limit, 0)

    @property
    def percent(self) -> int:
        """The bar's length, in steps of 5 % of the limit (or of the minimum
        to reach when there is no limit), at most 100."""
        scale = self.limit if self.limit is not None else self.minimum
        if not scale:
            return 0
        return min(100, 5 * round(20 * self.used / scale))


def _count_problems(spec: RuleSpec, count: int) -> list[Problem]:
    problems = []
    if count < spec.min_projects:
        problems.append(
            Problem(
                "too_few",
                ngettext("Choose at least %(n)d project.", "Choose at least %(n)d projects.", spec.min_projects)
                % {"n": spec.min_projects},
            )
        )
    if spec.max_projects is not None and count > spec.max_projects:
        problems.append(
            Problem(
                "too_many",
                ngettext("Choose at most %(n)d project.", "Choose at most %(n)d projects.", spec.max_projects)
                % {"n": spec.max_projects},
            )
        )
    return problems


def _binary_problems(choices: Mapping[int, int]) -> list[Problem]:
    if any(value != 1 for value in choices.values()):
        return [Problem("not_binary", _("Each project is either chosen or not."))]
    return []


def check_approval(spec: RuleSpec, projects: Mapping[int, ProjectInfo], choices: Mapping[int, int]) -> list[Problem]:
    return _binary_problems(choices) + _count_problems(spec, len(choices))


def check_envelope(spec: RuleSpec, projects: Mapping[int, ProjectInfo], choices: Mapping[int, int]) -> list[Problem]:
    problems = _binary_problems(choices) + _count_problems(spec, len(choices))
    total = sum(projects[pk].cost for pk in choices)
    if total > spec.envelope:
        problems.append(
            Problem(
                "over_envelope",
                _("The chosen projects cost %(total)s, more than the %(envelope)s available.")
                % {"total": money(total), "envelope": money(spec.envelope)},
            )
        )
    minimum = minimum_spending(spec)
    if total < minimum:
        problems.append(
            Problem(
                "under_minimum",
                _(
                    "The chosen projects must cost at least %(minimum)s (%(percent)s of the envelope); "
                    "they cost %(total)s."
                )
                % {"minimum": money(minimum), "percent": percent(spec.min_percent), "total": money(total)},
            )
        )
    return problems


def check_points(spec: RuleSpec, projects: Mapping[int, ProjectInfo], choices: Mapping[int, int]) -> list[Problem]:
    problems = _count_problems(spec, len(choices))
    used = sum(choices.values())
    if used > spec.points_total:
        problems.append(
            Problem(
                "too_many_points",
                _("%(used)s points given; %(total)s available.") % {"used": used, "total": spec.points_total},
            )
        )
    elif used < spec.points_total and choices:
        left = spec.points_total - used
        problems.append(
            Problem(
                "points_left",
                ngettext(
                    "Distribute all %(total)s points; %(left)s is left.",
                    "Distribute all %(total)s points; %(left)s are left.",
                    left,
                )
                % {"total": spec.points_total, "left": left},
            )
        )
    elif not choices and spec.points_total:
        problems.append(Problem("points_left", _("Distribute the %(total)s points.") % {"total": spec.points_total}))
    if any(value < spec.points_min for value in choices.values()):
        problems.append(
            Problem(
                "below_points_min",
                ngettext(
                    "Give each chosen project at least %(n)s point.",
                    "Give each chosen project at least %(n)s points.",
                    spec.points_min,
                )
                % {"n": spec.points_min},
            )
        )
    if spec.points_max is not None and any(value > spec.points_max for value in choices.values()):
        problems.append(
            Problem(
                "above_points_max",
                ngettext(
                    "Give each project at most %(n)s point.", "Give each project at most %(n)s points.", spec.points_max
                )
                % {"n": spec.points_max},
            )
        )
    return problems


def check_ranking(spec: RuleSpec, projects: Mapping[int, ProjectInfo], choices: Mapping[int, int]) -> list[Problem]:
    problems = []
    ranks = sorted(choices.values())
    k = spec.rank_k
    if len(choices) > k:
        problems.append(
            Problem("too_many", ngettext("Rank at most %(n)d project.", "Rank at most %(n)d projects.", k) % {"n": k})
        )
    if ranks != list(range(1, len(ranks) + 1)):
        problems.append(Problem("bad_ranks", _("Give the ranks 1, 2, 3 … in order, each once, without gaps.")))
    problems += [p for p in _count_problems(spec, len(choices)) if p.code != "too_many"]
    return problems


def check_savings(spec: RuleSpec, projects: Mapping[int, ProjectInfo], choices: Mapping[int, int]) -> list[Problem]:
    problems = _binary_problems(choices) + _count_problems(spec, len(choices))
    total = sum(projects[pk].cost for pk in choices)
    if total < spec.savings_target:
        problems.append(
            Problem(
                "under_target",
                _("The chosen cuts save %(total)s; the target is %(target)s.")
                % {"total": money(total), "target": money(spec.savings_target)},
            )
        )
    return problems


def check_categories(spec: RuleSpec, projects: Mapping[int, ProjectInfo], choices: Mapping[int, int]) -> list[Problem]:
    if spec.max_per_category is None:
        return []
    per_category: dict[int, int] = {}
    for pk in choices:
        category = projects[pk].category_id
        if category is not None:
            per_category[category] = per_category.get(category, 0) + 1
    if any(count > spec.max_per_category for count in per_category.values()):
        return [
            Problem(
                "category_limit",
                ngettext(
                    "Choose at most %(n)d project of each category.",
                    "Choose at most %(n)d projects of each category.",
                    spec.max_per_category,
                )
                % {"n": spec.max_per_category},
            )
        ]
    return []


RULES = {
    Rule.APPROVAL: check_approval,
    Rule.ENVELOPE: check_envelope,
    Rule.POINTS: check_points,
    Rule.RANKING: check_ranking,
    Rule.SAVINGS: check_savings,
}


def check_ballot(spec: RuleSpec, projects: Mapping[int, ProjectInfo], choices: Mapping[int, int]) -> list[Problem]:
    """All the problems of a ballot under its budget's rule (empty: valid)."""
    unknown = [pk for pk in choices if pk not in projects]
    if unknown:
        return [Problem("unknown_project", _("This ballot names a project that is not in this budget."))]
    if any(not isinstance(value, int) or isinstance(value, bool) or value < 1 for value in choices.values()):
        return [Problem("bad_value", _("Each value must be a whole number of at least 1."))]
    return RULES[spec.rule](spec, projects, choices) + check_categories(spec, projects, choices)


def minimum_spending(spec: RuleSpec) -> int:
    # Rounded up: "at least 80 %" of 1,001 € is 801 €.
    return -(-spec.envelope * spec.min_percent // 100)


def meter(spec: RuleSpec, projects: Mapping[int, ProjectInfo], choices: Mapping[int, int]) -> Meter:
    """The figures of the live meter for a (possibly incomplete) ballot."""
    count = len(choices)
    cost = sum(projects[pk].cost for pk in choices if pk in projects)
    if spec.rule == Rule.ENVELOPE:
        return Meter("euros", cost, spec.envelope, minimum_spending(spec), count, cost=cost, envelope=spec.envelope)
    if spec.rule == Rule.SAVINGS:
        return Meter("euros", cost, None, spec.savings_target, count, cost=cost, envelope=spec.envelope)
    if spec.rule == Rule.POINTS:
        return Meter(
            "points",
            sum(choices.values()),
            spec.points_total,
            spec.points_total,
            count,
            cost=cost,
            envelope=spec.envelope,
        )
    if spec.rule == Rule.RANKING:
        return Meter("projects", count, spec.rank_k, spec.min_projects, count, cost=cost, envelope=spec.envelope)
    return Meter("projects", count, spec.max_projects, spec.min_projects, count, cost=cost, envelope=spec.envelope)


def score(spec: RuleSpec, value: int) -> int:
    """What one choice adds to a project's points counter: the points given,
    or a Borda score for a ranking (first of K gets K, K-th gets 1)."""
    if spec.rule == Rule.POINTS:
        return value
    if spec.rule == Rule.RANKING:
        return max(spec.rank_k - value + 1, 0)
    return 0
