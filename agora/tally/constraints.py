"""The city's decisions on a count: incompatible projects and manual overrides.

Neither pabutools nor pabulib know them; Agora applies them around any rule
(greedy, MES, MES + add1), the same way for every rule, so that the published
result, the staff's comparison of rules and a recount of the exported file
(pabulib META ``incompatible_projects``, ``funded_by_decision``,
``excluded_by_decision``, read by ``pabulib.recount``) all give the same winners:

- an **excluded** project is never funded: it is left out of the count, as if
  it had not been on the ballot (its votes stay in the figures);
- a **funded** project ("funded by decision") is funded whatever its votes:
  its cost comes off the envelope first, and the rule shares what is left
  between the other projects (for MES: each ballot's share is the rest of
  the envelope divided by the number of ballots);
- of two **incompatible** projects at most one is funded. The partners of a
  funded-by-decision project are left out. The other pairs go to the rule
  (``Election.incompatible``), which skips a project once its partner is
  selected: greedy when the project's turn comes, MES when the partner is
  selected (the project leaves the race), in every run of add1 (a run is
  exhaustive when no project still in the race fits) and in its greedy
  completion. ``left_out`` names, for each project skipped so, the selected
  partner that made it leave.

An earlier version left the later-selected project of a pair out of the
election and counted again. For greedy and MES without completion that is the
same thing (their earlier choices do not depend on a later project), but not
for add1: the per-voter budget at which add1 stops depends on every project in
the count, so the recount could stop earlier, without the partner, and the
project had been left out for a partner that was not funded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Iterable

from .election import Election, Result, TallyError, restricted


@dataclass
class Decisions:
    funded: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    incompatible: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.funded or self.excluded or self.incompatible)

    @classmethod
    def of(
        cls, funded: Iterable[str] = (), excluded: Iterable[str] = (), incompatible: Iterable[Iterable[str]] = ()
    ) -> "Decisions":
        pairs: list[tuple[str, str]] = []
        for pair in incompatible:
            a, b = tuple(pair)
            if a == b:
                raise TallyError(f"project {a!r} cannot be incompatible with itself")
            low, high = sorted((a, b))
            pairs.append((low, high))
        return cls(tuple(dict.fromkeys(funded)), tuple(dict.fromkeys(excluded)), tuple(dict.fromkeys(pairs)))


@dataclass
class DecidedResult(Result):
    """A result with what the decisions did: `funded` (by decision, selected
    first), `excluded` (by decision), `left_out` ({project: the selected
    incompatible project that made it leave the count})."""

    funded: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = super().as_dict()
        data.update({"funded": list(self.funded), "excluded": list(self.excluded), "left_out": dict(self.left_out)})
        return data


def decided(election: Election, count: Callable[[Election], Result], decisions: Decisions) -> DecidedResult:
    """Count `election` with `count` (for instance ``lambda e: greedy(e, min_score=1)``)
    under `decisions`. Without decisions, exactly what ``count(election)`` gives."""
    if not decisions:
        plain = count(election)
        return DecidedResult(plain.rule, plain.completion, plain.selected, plain.total_cost, plain.votes, plain.budget)
    known = election.by_id
    for pid in (*decisions.funded, *decisions.excluded, *(p for pair in decisions.incompatible for p in pair)):
        if pid not in known:
            raise TallyError(f"a decision names the unknown project {pid!r}")
    excluded = set(decisions.excluded)
    funded = [pid for pid in decisions.funded if pid not in excluded]
    partners: dict[str, set[str]] = {}
    for a, b in decisions.incompatible:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    left_out: dict[str, str] = {}
    for pid in funded:
        for other in sorted(partners.get(pid, ())):
            if other in funded:
                raise TallyError(f"projects {pid!r} and {other!r} are incompatible and both funded by decision")
            left_out.setdefault(other, pid)
    spent = sum((known[pid].cost for pid in funded), Fraction(0))
    if spent > election.budget:
        raise TallyError("the projects funded by decision cost more than the envelope")
    keep = [p.id for p in election.projects if p.id not in excluded and p.id not in left_out and p.id not in funded]
    result = count(restricted(election, keep, election.budget - spent, incompatible=decisions.incompatible))
    selected = funded + list(result.selected)
    chosen = set(selected)
    for a, b in decisions.incompatible:
        if a in chosen and b in chosen:  # a count that ignores Election.incompatible
            raise TallyError(f"the rule selected the incompatible projects {a!r} and {b!r}")
    for pid, rival in result.left_out.items():
        left_out.setdefault(pid, rival)
    total = sum((known[pid].cost for pid in selected), Fraction(0))
    return DecidedResult(
        result.rule,
        result.completion,
        selected,
        total,
        election.votes(),
        election.budget,
        funded=list(funded),
        excluded=sorted(excluded, key=lambda pid: list(known).index(pid)),
        left_out=left_out,
    )
