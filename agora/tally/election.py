"""Elections and results: plain Python data, exact numbers (fractions.Fraction).

An :class:`Election` holds the projects (string ids, exact costs), the budget limit and
the ballots. Ballots are kept in the form the voter cast them, the election's
:class:`Kind`:

* ``Kind.APPROVAL``: a set of project ids;
* ``Kind.POINTS``: a dict project id -> points (cumulative ballots);
* ``Kind.RANKING``: a list of project ids, best first.

The kind is the shape of a ballot in the count, not a budget's ballot rule
(`agora.components.budgets.models.Budget.Rule`: envelope and savings ballots
are approval ballots here); `budgets.counting.tally_kind` maps one to the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class Kind(StrEnum):
    """The shape of the ballots of an election (a plain string compares equal)."""

    APPROVAL = "approval"
    POINTS = "points"
    RANKING = "ranking"


KINDS = tuple(Kind)


class TallyError(ValueError):
    """Invalid election data (unknown project, negative cost, bad ballot...)."""


def to_fraction(value, what: str = "number") -> Fraction:
    """An exact Fraction from an int, str ("1500", "1500.50", "1,5"), Decimal or Fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TallyError(f"invalid {what}: {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    if isinstance(value, float):
        # Floats are converted through their shortest decimal representation.
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise TallyError(f"invalid {what}: {value!r}") from None
    raise TallyError(f"invalid {what}: {value!r}")


def number(value: Fraction) -> int | float:
    """A JSON-friendly number: an int when integral, else a float."""
    if value.denominator == 1:
        return int(value)
    return float(value)


@dataclass(frozen=True)
class Project:
    id: str
    cost: Fraction
    name: str = ""
    categories: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    def __post_init__(self):
        if not isinstance(self.id, str) or not self.id:
            raise TallyError(f"project id must be a non-empty string, not {self.id!r}")
        cost = to_fraction(self.cost, f"cost of project {self.id}")
        if cost < 0:
            raise TallyError(f"project {self.id} has a negative cost")
        object.__setattr__(self, "cost", cost)
        object.__setattr__(self, "categories", tuple(self.categories))
        object.__setattr__(self, "targets", tuple(self.targets))


class Election:
    """Projects, budget limit and ballots of one vote."""

    def __init__(
        self,
        *,
        projects: Iterable[Project],
        budget,
        ballots: Iterable = (),
        kind: str = Kind.APPROVAL,
        incompatible: Iterable[Iterable[str]] = (),
    ):
        if kind not in KINDS:
            raise TallyError(f"unknown ballot kind {kind!r} (expected one of {', '.join(KINDS)})")
        self.kind = Kind(kind)
        self.projects: list[Project] = list(projects)
        self.by_id: dict[str, Project] = {}
        for p in self.projects:
            if p.id in self.by_id:
                raise TallyError(f"duplicate project id {p.id!r}")
            self.by_id[p.id] = p
        self.budget = to_fraction(budget, "budget")
        if self.budget < 0:
            raise TallyError("the budget is negative")
        self.ballots: list = [self._clean_ballot(b, i) for i, b in enumerate(ballots)]
        self.incompatible = self._clean_pairs(incompatible)

    def _clean_pairs(self, pairs) -> tuple[tuple[str, str], ...]:
        """Pairs of projects of which at most one may be selected (the city's
        incompatibilities, agora.tally.constraints): the rules skip a project
        once its partner is selected."""
        clean: list[tuple[str, str]] = []
        for pair in pairs:
            a, b = tuple(pair)
            if a not in self.by_id or b not in self.by_id:
                raise TallyError(f"an incompatibility names an unknown project ({a!r}, {b!r})")
            if a == b:
                raise TallyError(f"project {a!r} cannot be incompatible with itself")
            low, high = sorted((a, b))
            clean.append((low, high))
        return tuple(dict.fromkeys(clean))

    def partners(self) -> dict[str, set[str]]:
        """Project id -> the ids of the projects incompatible with it."""
        partners: dict[str, set[str]] = {}
        for a, b in self.incompatible:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
        return partners

    def _check(self, pid, index):
        if pid not in self.by_id:
            raise TallyError(f"ballot {index + 1}: unknown project {pid!r}")
        return pid

    def _clean_ballot(self, ballot, index):
        if self.kind == Kind.APPROVAL:
            if isinstance(ballot, (str, Mapping)):
                raise TallyError(f"ballot {index + 1}: an approval ballot is a set of project ids")
            return frozenset(self._check(p, index) for p in ballot)
        if self.kind == Kind.POINTS:
            if not isinstance(ballot, Mapping):
                raise TallyError(f"ballot {index + 1}: a points ballot is a dict id -> points")
            clean = {}
            for pid, pts in ballot.items():
                self._check(pid, index)
                value = to_fraction(pts, f"points in ballot {index + 1}")
                if value < 0:
                    raise TallyError(f"ballot {index + 1}: negative points for {pid!r}")
                if value:
                    clean[pid] = value
            return clean
        # ranking
        if isinstance(ballot, (str, Mapping)):
            raise TallyError(f"ballot {index + 1}: a ranking is a list of project ids")
        ranking = [self._check(p, index) for p in ballot]
        if len(set(ranking)) != len(ranking):
            raise TallyError(f"ballot {index + 1}: a project is ranked twice")
        return tuple(ranking)

    @property
    def num_ballots(self) -> int:
        return len(self.ballots)

    def supports(self, ballot) -> dict[str, Fraction | int]:
        """The 'votes' one ballot gives each project (1 per approval/ranked project, or points)."""
        if self.kind == Kind.POINTS:
            return ballot
        return dict.fromkeys(ballot, 1)

    def votes(self) -> dict[str, int | Fraction]:
        """Votes per project: approvals, sum of points, or number of rankings naming it."""
        totals: dict[str, int | Fraction] = {p.id: 0 for p in self.projects}
        if self.kind == Kind.POINTS:
            for ballot in self.ballots:
                for pid, pts in ballot.items():
                    totals[pid] += pts
            return {pid: (int(v) if isinstance(v, Fraction) and v.denominator == 1 else v) for pid, v in totals.items()}
        for ballot in self.ballots:
            for pid in ballot:
                totals[pid] += 1
        return totals


def eligible(election: Election, min_score=0) -> Election:
    """The election without the projects whose score (election.votes(): approvals,
    points, rankings naming it) is below ``min_score`` (pabulib's
    ``min_project_score_threshold``): as if they had never been on the ballot."""
    threshold = to_fraction(min_score, "minimum score")
    if threshold <= 0:
        return election
    votes = election.votes()
    keep = {p.id for p in election.projects if votes[p.id] >= threshold}
    if len(keep) == len(election.projects):
        return election
    return _rebuilt(election, {pid: pid for pid in keep})


def restricted(election: Election, keep, budget=None, incompatible=None) -> Election:
    """The election with only the projects ``keep`` (ids; the others as if they
    had never been on the ballot) and, when given, another budget and other
    incompatible pairs (those naming a project left out are dropped)."""
    keep = set(keep)
    rebuilt = _rebuilt(election, {p.id: p.id for p in election.projects if p.id in keep})
    if budget is not None:
        rebuilt.budget = to_fraction(budget, "budget")
        if rebuilt.budget < 0:
            raise TallyError("the budget is negative")
    if incompatible is not None:
        rebuilt.incompatible = rebuilt._clean_pairs(pair for pair in incompatible if all(pid in keep for pid in pair))
    return rebuilt


def relabelled(election: Election, order) -> tuple[Election, dict[str, str]]:
    """The election with its project ids replaced by ids whose string order is
    ``order`` (a tie-breaking order, first = wins a tie; ids missing from it come
    after, in id order). The rules break ties by the smallest id, so counting the
    relabelled election breaks ties by ``order``. Returns (election, new id -> old id)."""
    known = {p.id for p in election.projects}
    listed = [pid for pid in dict.fromkeys(order) if pid in known]
    rest = sorted(known - set(listed))
    width = len(str(len(known)))
    new_of = {pid: f"t{position:0{width}d}" for position, pid in enumerate(listed + rest)}
    return _rebuilt(election, new_of), {new: old for old, new in new_of.items()}


def _rebuilt(election: Election, new_of: dict[str, str]) -> Election:
    """The election restricted to the projects of ``new_of`` (old id -> new id), renamed."""
    projects = [
        Project(id=new_of[p.id], cost=p.cost, name=p.name, categories=p.categories, targets=p.targets)
        for p in election.projects
        if p.id in new_of
    ]
    rebuilt = Election(projects=projects, budget=election.budget, ballots=(), kind=election.kind)
    cache: dict = {}
    ballots = []
    for ballot in election.ballots:
        key = id(ballot)
        clean = cache.get(key)
        if clean is None:
            if election.kind == Kind.POINTS:
                clean = {new_of[pid]: pts for pid, pts in ballot.items() if pid in new_of}
            elif election.kind == Kind.RANKING:
                clean = tuple(new_of[pid] for pid in ballot if pid in new_of)
            else:
                clean = frozenset(new_of[pid] for pid in ballot if pid in new_of)
            cache[key] = (clean, ballot)  # keep `ballot` alive: its id stays unique
            ballots.append(clean)
        else:
            ballots.append(clean[0])
    rebuilt.ballots = ballots
    rebuilt.incompatible = rebuilt._clean_pairs(
        (new_of[a], new_of[b]) for a, b in election.incompatible if a in new_of and b in new_of
    )
    return rebuilt


def cost_votes_draw_order(election: Election, draw) -> list[str]:
    """Agora's published tie-breaking order: lowest cost first, then most votes,
    then the order ``draw`` (project ids drawn at random when the vote opened;
    ids missing from it after, in id order)."""
    votes = election.votes()
    position = {pid: n for n, pid in enumerate(dict.fromkeys(draw))}
    last = len(position)
    return [
        p.id for p in sorted(election.projects, key=lambda p: (p.cost, -votes[p.id], position.get(p.id, last), p.id))
    ]


def ranking_to_points(ranking: Iterable[str], k: int | None = None) -> dict[str, int]:
    """Borda-style points for a ranking: k for the first, k-1 for the second, ...

    ``k`` defaults to the ranking's length. Use it to count rankings as a points election.
    """
    ranking = list(ranking)
    if k is None:
        k = len(ranking)
    return {pid: k - i for i, pid in enumerate(ranking) if k - i > 0}


@dataclass
class Result:
    rule: str
    completion: str | None
    selected: list[str]
    total_cost: Fraction
    votes: dict[str, int | Fraction] = field(default_factory=dict)
    budget: Fraction = Fraction(0)
    # project -> the incompatible project whose selection made the rule skip it
    left_out: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "completion": self.completion,
            "selected": list(self.selected),
            "total_cost": number(self.total_cost),
            "budget": number(self.budget),
            "votes": {k: (number(v) if isinstance(v, Fraction) else v) for k, v in self.votes.items()},
        }
