"""Counting rules: greedy and the Method of Equal Shares (MES), exact arithmetic.

Both rules reproduce pabutools (the researchers' reference implementation) with its
default lexicographic tie-breaking; see docs/counting.md for the definitions.

Greedy
    Projects ordered by votes (descending), ties by project id (string order, ascending);
    each project is selected if it still fits in what is left of the budget.
    pabutools: ``greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)`` for
    approval and ranking ballots (Cost_Sat / cost = number of supporters) and, for points
    ballots, the additive satisfaction "points x cost" (so that satisfaction / cost = points).

MES
    Every ballot gets budget / number of ballots. In each round, for every project still
    affordable by its supporters, rho is the smallest factor such that the supporters,
    each paying min(own money, rho x utility), pay the cost; the project with the smallest
    rho (ties: smallest id) is selected and its supporters pay. Utilities: the project's
    cost for an approval or a ranking that names it (pabutools ``Cost_Sat``), the points for
    a points ballot (pabutools ``Additive_Cardinal_Sat``).
    ``completion="add1"``: pabutools ``voter_budget_increment=1`` (rerun MES with one more
    currency unit per voter until the outcome is exhaustive; if it becomes infeasible,
    keep the previous outcome), then greedy completion
    (pabutools ``completion_by_rule_combination([method_of_equal_shares, greedy...])``).

The add1 loop is made fast by computing, for each run, how far the per-voter budget can
grow before any comparison the run made changes its result (every amount in a run is an
affine function of the per-voter budget while the run's decisions stay the same): all
the per-voter budgets in between give the same outcome and are skipped. The outcome is
exactly the one the unit-by-unit loop gives.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .election import Election, Result, TallyError

ZERO = Fraction(0)


def _votes_numbers(election: Election) -> dict[str, int | Fraction]:
    return election.votes()


def _greedy_fill(election: Election, votes, selected: list[str], spent: Fraction) -> tuple[list[str], Fraction]:
    chosen = set(selected)
    order = sorted(
        (p for p in election.projects if p.id not in chosen),
        key=lambda p: (-votes[p.id], p.id),
    )
    remaining = election.budget - spent
    for p in order:
        if p.cost <= remaining:
            selected.append(p.id)
            remaining -= p.cost
    return selected, election.budget - remaining


def greedy(election: Election) -> Result:
    """Most votes first; a project that no longer fits is skipped; continue."""
    votes = _votes_numbers(election)
    selected, total = _greedy_fill(election, votes, [], ZERO)
    return Result("greedy", None, selected, total, votes, election.budget)


# --------------------------------------------------------------------------- MES


def _bound(f0: Fraction, f1: Fraction, strict: bool = False):
    """Largest T such that f(t) = f0 + f1*t keeps the sign it has at t=0 on [0, T).

    The caller knows f0 >= 0 (f0 > 0 when ``strict``). None means no limit.
    """
    if f1 >= 0:
        return None
    if f0 == 0:
        return ZERO
    return f0 / -f1


class _Prepared:
    """What does not depend on the per-voter budget: supporters, utilities, voter classes.

    Voters are bits of Python integers. A *class* is a set of voters that supported the
    same selected projects with the same utilities so far: they always hold the same
    amount of money, so MES can work on classes instead of voters.
    """

    def __init__(self, election: Election):
        self.election = election
        projects = election.projects
        n = election.num_ballots
        self.n = n
        self.costs = [p.cost for p in projects]
        self.ids = [p.id for p in projects]
        index = {p.id: j for j, p in enumerate(projects)}
        # Supporters per project and utility value.
        per: list[dict[Fraction, bytearray]] = [dict() for _ in projects]
        nbytes = (n + 7) // 8
        for i, ballot in enumerate(election.ballots):
            byte, bit = i >> 3, 1 << (i & 7)
            if election.kind == "points":
                items = ((index[pid], pts) for pid, pts in ballot.items())
            else:
                items = ((index[pid], None) for pid in ballot)
            for j, pts in items:
                u = self.costs[j] if pts is None else pts
                if u <= 0:
                    continue
                arr = per[j].get(u)
                if arr is None:
                    arr = per[j][u] = bytearray(nbytes)
                arr[byte] |= bit
        self.masks: list[dict[Fraction, int]] = [
            {u: int.from_bytes(arr, "little") for u, arr in d.items()} for d in per
        ]
        self.support_mask = []
        for d in self.masks:
            m = 0
            for v in d.values():
                m |= v
            self.support_mask.append(m)
        # Root class: everybody.
        root_counts: dict[int, dict[Fraction, int]] = {}
        self.total_sat = [ZERO] * len(projects)
        self.zero_cost: list[int] = []  # supported projects that cost nothing
        self.mes_projects: list[int] = []  # supported projects with a positive cost
        for j, d in enumerate(self.masks):
            counts = {u: m.bit_count() for u, m in d.items()}
            counts = {u: c for u, c in counts.items() if c}
            if not counts:
                continue
            if self.costs[j] == 0:
                self.zero_cost.append(j)
                continue
            root_counts[j] = counts
            self.total_sat[j] = sum((u * c for u, c in counts.items()), ZERO)
            self.mes_projects.append(j)
        self.zero_cost.sort(key=lambda j: self.ids[j])
        self.cls_mask: list[int] = [(1 << n) - 1]
        self.cls_counts: list[dict[int, dict[Fraction, int]]] = [root_counts]
        self.children: dict[tuple[int, int], tuple[list[tuple[Fraction, int]], int | None]] = {}

    def _new_class(self, mask: int, counts) -> int:
        self.cls_mask.append(mask)
        self.cls_counts.append(counts)
        return len(self.cls_mask) - 1

    def split(self, cid: int, s: int):
        """Children of class ``cid`` once project ``s`` is selected.

        Returns ([(utility, child id) for the supporters of s], id of the rest or None).
        """
        key = (cid, s)
        got = self.children.get(key)
        if got is not None:
            return got
        mask = self.cls_mask[cid]
        parent = self.cls_counts[cid]
        inside = []
        rest_counts = {j: dict(c) for j, c in parent.items() if j != s}
        for u, smask in self.masks[s].items():
            cm = mask & smask
            if not cm:
                continue
            counts = {}
            for j, pc in parent.items():
                if j == s:
                    continue
                cj = {}
                for v in pc:
                    m = (cm & self.masks[j][v]).bit_count()
                    if m:
                        cj[v] = m
                        left = rest_counts[j][v] - m
                        if left:
                            rest_counts[j][v] = left
                        else:
                            del rest_counts[j][v]
                if cj:
                    counts[j] = cj
            inside.append((u, self._new_class(cm, counts)))
        rest_mask = mask & ~self.support_mask[s]
        rest = None
        if rest_mask:
            rest = self._new_class(rest_mask, {j: c for j, c in rest_counts.items() if c})
        got = (inside, rest)
        self.children[key] = got
        return got


def _mes_run(prep: _Prepared, b: Fraction, track: bool):
    """One run of MES with ``b`` per voter. Returns (selected indices, T).

    T: the per-voter budget may grow by any amount < T without changing the outcome
    (None: no limit). Only computed when ``track``.
    """
    ids, costs = prep.ids, prep.costs
    T = None

    def limit(x):
        nonlocal T
        if x is not None and (T is None or x < T):
            T = x

    one = Fraction(1)
    budgets = {0: (b, one)}  # class id -> (value at t=0, slope in t)
    active = [0]
    remaining = set(prep.mes_projects)
    stale = {j: (costs[j] / prep.total_sat[j], ZERO) for j in remaining}
    selected = list(prep.zero_cost)
    cls_counts = prep.cls_counts
    while remaining:
        order = sorted(remaining, key=lambda j: (stale[j][0], ids[j]))
        best = None  # (rho_v, id, j, rho_d, entries, npoor)
        for j in order:
            sv = stale[j][0]
            if best is not None and sv > best[0]:
                break
            entries = []
            avail_v = ZERO
            avail_d = ZERO
            for c in active:
                cj = cls_counts[c].get(j)
                if cj:
                    bv, bd = budgets[c]
                    for u, m in cj.items():
                        entries.append((bv / u, c, u, m))
                        avail_v += m * bv
                        avail_d += m * bd
            cost = costs[j]
            if avail_v < cost:
                remaining.discard(j)
                if track:
                    limit(_bound(cost - avail_v, -avail_d, strict=True))
                continue
            entries.sort(key=lambda e: e[0])
            R = cost
            D = sum((m * u for _, _, u, m in entries), ZERO)
            Rd = ZERO  # slope of R in t
            npoor = 0
            for ratio, c, u, m in entries:
                # rho = R / D; this class is rich if rho * u <= its money
                if R * u <= budgets[c][0] * D:
                    break
                bv, bd = budgets[c]
                R -= m * bv
                Rd -= m * bd
                D -= m * u
                npoor += 1
            rho_v = R / D
            rho_d = Rd / D
            stale[j] = (rho_v, rho_d)
            if best is None or (rho_v, ids[j]) < (best[0], best[1]):
                best = (rho_v, ids[j], j, rho_d, entries, npoor)
        if best is None:
            break
        rho_v, sid, s, rho_d, entries, npoor = best
        remaining.discard(s)
        if track and T != 0:
            # The selected project's formula must stay exact: poor stay poor, rich stay rich.
            for k, (_, c, u, m) in enumerate(entries):
                bv, bd = budgets[c]
                f0 = bv - rho_v * u
                f1 = bd - rho_d * u
                if k < npoor:
                    limit(_bound(-f0, -f1))
                else:
                    limit(_bound(f0, f1))
            # It must stay the first in (rho, id) order against every other candidate.
            for j in remaining:
                g0 = stale[j][0] - rho_v
                g1 = stale[j][1] - rho_d
                if g0 == 0 and ids[j] > sid:
                    if g1 < 0:
                        limit(ZERO)
                else:
                    limit(_bound(g0, g1, strict=True))
        # Pay and split classes.
        pay = {}
        for k, (_, c, u, m) in enumerate(entries):
            if k < npoor:
                pay[(c, u)] = None
            else:
                bv, bd = budgets[c]
                pay[(c, u)] = (bv - rho_v * u, bd - rho_d * u)
        new_active = []
        for c in active:
            if s not in cls_counts[c]:
                new_active.append(c)
                continue
            inside, rest = prep.split(c, s)
            for u, child in inside:
                nb = pay[(c, u)]
                if nb is None or (nb[0] == 0 and nb[1] == 0):
                    continue
                budgets[child] = nb
                new_active.append(child)
            if rest is not None:
                budgets[rest] = budgets[c]
                new_active.append(rest)
        active = new_active
        selected.append(s)
    return selected, T


def _finish(election: Election, prep: _Prepared, sel: list[int], rule: str, completion: str, greedy_after: bool) -> Result:
    votes = _votes_numbers(election)
    ids = [prep.ids[j] for j in sel]
    total = sum((prep.costs[j] for j in sel), ZERO)
    if greedy_after:
        ids, total = _greedy_fill(election, votes, ids, total)
    return Result(rule, completion, ids, total, votes, election.budget)


def mes(election: Election, completion: str = "add1", *, max_runs: int | None = None) -> Result:
    """Method of Equal Shares; ``completion`` is "none" or "add1" (then greedy)."""
    if completion not in ("none", "add1"):
        raise TallyError(f"unknown completion {completion!r} (expected none or add1)")
    prep = _Prepared(election)
    n = prep.n
    if n == 0:
        return _finish(election, prep, [], "mes", completion, completion == "add1")
    b = election.budget / n
    if completion == "none":
        sel, _ = _mes_run(prep, b, track=False)
        return _finish(election, prep, sel, "mes", completion, False)
    budget = election.budget
    mes_set = prep.mes_projects
    previous = list(prep.zero_cost)
    runs = 0
    while True:
        sel, T = _mes_run(prep, b, track=True)
        runs += 1
        spent = sum((prep.costs[j] for j in sel), ZERO)
        if spent > budget:
            sel = previous
            break
        chosen = set(sel)
        if all(j in chosen or prep.costs[j] + spent > budget for j in mes_set):
            break
        if T is None:  # the outcome would never change: pabutools would loop forever
            break
        if max_runs is not None and runs >= max_runs:
            raise TallyError("add1 completion did not converge")
        previous = sel
        b += max(1, math.ceil(T))
    return _finish(election, prep, sel, "mes", completion, True)
