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

Incompatible projects (``Election.incompatible``, the city's decisions of
agora.tally.constraints): greedy skips a project whose partner is already selected; in MES
the partners of a selected project leave the race, in every run of add1 (a run is
exhaustive when no project still in the race fits) and in the greedy completion. The
result's ``left_out`` names the projects skipped so (MES: while they could still be paid
for; greedy: while they fitted) and the selected partner. add1 then runs on the exact
classes below (the array version does not know incompatibilities).

The add1 loop is made fast by computing, for each run, how far the per-voter budget can
grow before any comparison the run made changes its result (every amount in a run is an
affine function of the per-voter budget while the run's decisions stay the same): all
the per-voter budgets in between give the same outcome and are skipped. The outcome is
exactly the one the unit-by-unit loop gives. For approval and ranking ballots (cost
utilities) the loop runs on numpy arrays (agora.tally.mes_fast: floats with error bounds,
exact rationals where a decision needs them, certified jumps); points ballots use the
exact classes below (_Run).
"""

from __future__ import annotations

import logging
import math
from fractions import Fraction

from . import mes_fast, rationals
from .election import Election, Kind, Result, TallyError, eligible, relabelled

ZERO = Fraction(0)
logger = logging.getLogger(__name__)


def _votes_numbers(election: Election) -> dict[str, int | Fraction]:
    return election.votes()


def _greedy_fill(
    election: Election, votes, selected: list[str], spent: Fraction, left_out: dict[str, str]
) -> tuple[list[str], Fraction]:
    """Most votes first; a project that no longer fits is skipped, and so is one
    whose incompatible partner is already selected (recorded in ``left_out``)."""
    chosen = set(selected)
    partners = election.partners()
    order = sorted(
        (p for p in election.projects if p.id not in chosen),
        key=lambda p: (-votes[p.id], p.id),
    )
    remaining = election.budget - spent
    for p in order:
        if p.cost <= remaining:
            rival = next((pid for pid in selected if pid in partners.get(p.id, ())), None)
            if rival is not None:
                left_out.setdefault(p.id, rival)
                continue
            selected.append(p.id)
            chosen.add(p.id)
            remaining -= p.cost
    return selected, election.budget - remaining


def _counted(election: Election, min_score, tie_order, count) -> Result:
    """Count ``election`` with ``count`` after leaving out the projects scoring
    below ``min_score`` and (``tie_order``: project ids, first wins a tie) after
    renaming the projects so that the rules' "smallest id wins a tie" follows
    ``tie_order``. The result names the original ids and has every project's votes."""
    counted = eligible(election, min_score)
    if tie_order is None:
        if counted is election:
            return count(election)
        result = count(counted)
        result.votes = _votes_numbers(election)
        return result
    counted, old_of = relabelled(counted, tie_order)
    result = count(counted)
    result.selected = [old_of[pid] for pid in result.selected]
    result.left_out = {old_of[pid]: old_of[rival] for pid, rival in result.left_out.items()}
    result.votes = _votes_numbers(election)
    return result


def greedy(election: Election, *, min_score=0, tie_order=None) -> Result:
    """Most votes first; a project that no longer fits is skipped; continue.

    ``min_score``: projects with fewer votes are never selected (pabulib's
    ``min_project_score_threshold``). ``tie_order``: project ids, the first of
    tied projects is taken first (default: the smallest id, as pabutools)."""
    return _counted(election, min_score, tie_order, _greedy)


def _greedy(election: Election) -> Result:
    votes = _votes_numbers(election)
    left_out: dict[str, str] = {}
    selected, total = _greedy_fill(election, votes, [], ZERO, left_out)
    return Result("greedy", None, selected, total, votes, election.budget, left_out)


# --------------------------------------------------------------------------- MES


def _bound(f0: Fraction, f1: Fraction, strict: bool = False):
    """Largest T such that f(t) = f0 + f1*t keeps the sign it has at t=0 on [0, T).

    The caller knows f0 >= 0 (f0 > 0 when ``strict``). None means no limit.
    """
    if f1 >= 0:
        return None
    if f0 == 0:
        return rationals.QZERO
    return f0 / -f1


def _exact(u):
    """An int when integral (cheap to hash and multiply), else the exact rational."""
    if isinstance(u, Fraction):
        if u.denominator == 1:
            return u.numerator
        return rationals.Q(u)
    return u


class _Prepared:
    """What does not depend on the per-voter budget: ballot groups, supporters, utilities.

    Identical ballots form one *group* (with a multiplicity). During a run, groups that
    supported the same selected projects (with the same utilities) hold the same amount of
    money: they share a *class*, and MES works on classes.
    """

    def __init__(self, election: Election):
        self.election = election
        projects = election.projects
        self.n = election.num_ballots
        self.costs = [p.cost for p in projects]
        self.fcosts = [float(c) for c in self.costs]
        self.qcosts = [rationals.Q(c) for c in self.costs]  # MES arithmetic
        self.ids = [p.id for p in projects]
        index = {p.id: j for j, p in enumerate(projects)}
        self.points = election.kind == Kind.POINTS
        groups: dict = {}
        for ballot in election.ballots:
            key = frozenset(ballot.items()) if self.points else frozenset(ballot)
            groups[key] = groups.get(key, 0) + 1
        self.mult = list(groups.values())
        P = len(projects)
        sup_groups: list[list[int]] = [[] for _ in range(P)]
        sup_u: list[list] = [[] for _ in range(P)]
        for g, key in enumerate(groups):
            if self.points:
                for pid, pts in key:
                    if pts > 0:
                        j = index[pid]
                        sup_groups[j].append(g)
                        sup_u[j].append(_exact(pts))
            else:
                for pid in key:
                    sup_groups[index[pid]].append(g)
        self.sup_groups = sup_groups
        # approval / ranking: utility = cost, the same for every supporter
        self.sup_u = sup_u if self.points else [_exact(c) for c in self.costs]
        self.total_sat = [rationals.QZERO] * P
        self.zero_cost: list[int] = []  # supported projects that cost nothing
        self.mes_projects: list[int] = []  # supported projects with a positive cost
        mult = self.mult
        for j in range(P):
            if not sup_groups[j]:
                continue
            if self.costs[j] == 0:
                self.zero_cost.append(j)
                continue
            if self.points:
                total = sum(mult[g] * u for g, u in zip(sup_groups[j], sup_u[j]))
            else:
                total = sum(mult[g] for g in sup_groups[j]) * self.sup_u[j]
            self.total_sat[j] = rationals.Q(total)
            self.mes_projects.append(j)
        self.zero_cost.sort(key=lambda j: self.ids[j])
        # Incompatible projects (election.incompatible): once a project is selected,
        # its partners leave the race. The supported projects that cost nothing are
        # selected first (by id), so their partners never enter it.
        self.partners: dict[int, set[int]] = {}
        for a, b in election.incompatible:
            self.partners.setdefault(index[a], set()).add(index[b])
            self.partners.setdefault(index[b], set()).add(index[a])
        self.start: list[int] = []
        for j in self.zero_cost:
            if not self.partners.get(j, set()) & set(self.start):
                self.start.append(j)
        out = {k for j in self.start for k in self.partners.get(j, ())}
        self.start_remaining = [j for j in self.mes_projects if j not in out]

    def out_of_race(self, j: int, chosen) -> bool:
        """Whether project j has an incompatible partner among ``chosen``."""
        return any(k in chosen for k in self.partners.get(j, ()))


DEAD = -1  # class of the voters who have spent all their money


class _Run:
    """MES with a per-voter budget ``b``; can resume at a larger ``b`` (add1 completion).

    Money amounts are affine functions ``v + d*t`` of the budget increase ``t`` from the
    current origin ``b``; while ``track`` is on, ``T`` is how far ``t`` may grow before a
    comparison the run made changes its result (None: no limit). After every round a
    checkpoint records the limit of the rounds so far (as an absolute per-voter budget) and
    what is needed to go back to that round, so that :meth:`resume` at a larger budget
    replays nothing that is still valid: it restarts after the last round whose decisions
    hold at the new budget, with the state of that round shifted to the new origin.
    """

    def __init__(self, prep: _Prepared, b: Fraction, track: bool):
        self.prep = prep
        self.track = track
        self.T = None
        b = rationals.Q(b)
        self.b = b
        # class id -> (money at t=0, slope in t, floats of both)
        self.budgets = {0: (b, rationals.QONE, float(b), 1.0)}
        self.cls = [0] * len(prep.mult)
        self.next_class = 1
        self.remaining = set(prep.start_remaining)
        # lower bounds of rho: j -> (value at t=0, slope, floats of both)
        self.stale = {}
        for j in self.remaining:
            r = prep.qcosts[j] / prep.total_sat[j]
            self.stale[j] = (r, rationals.QZERO, float(r), 0.0)
        self.selected = list(prep.start)
        self.left_out = self._left_at_start()
        self.checkpoints: list = []  # per round: (limit as absolute b or None, remaining, stale, len(selected), next_class, undo, origin b, len(left_out))
        self.done = False

    def _affordable(self, j) -> bool:
        """Whether the supporters of project j can still pay for it (exact)."""
        budgets, cls, mult = self.budgets, self.cls, self.prep.mult
        money = sum((mult[g] * budgets[cls[g]][0] for g in self.prep.sup_groups[j] if cls[g] != DEAD), rationals.QZERO)
        return money >= self.prep.qcosts[j]

    def _left_at_start(self) -> list[tuple[int, int]]:
        """(project, partner) for the projects kept out of the race by a selected
        project that costs nothing, when they were in it (affordable)."""
        prep = self.prep
        left = []
        for j in (*prep.zero_cost, *prep.mes_projects):
            if j in prep.start or (j not in prep.zero_cost and j in prep.start_remaining):
                continue
            if j in prep.zero_cost or self._affordable(j):
                left.append((j, next(k for k in prep.start if k in prep.partners[j])))
        return left

    def limit(self, x):
        if x is not None and (self.T is None or x < self.T):
            self.T = x

    def resume(self, b: Fraction) -> None:
        """Go on at the larger per-voter budget ``b`` from the last round still valid there."""
        keep = 0
        for cp in self.checkpoints:
            if cp[0] is not None and cp[0] <= b:
                break
            keep += 1
        # undo the rounds after the kept ones
        cls = self.cls
        for cp in reversed(self.checkpoints[keep:]):
            for g, c in reversed(cp[5]):
                cls[g] = c
        b = rationals.Q(b)
        if keep:
            limit_b, remaining, stale, nsel, next_class, _, origin, nleft = self.checkpoints[keep - 1]
            self.remaining = set(remaining)
            # the lower bounds were recorded at the origin of their round: shift them to b
            # from there (the budgets below are kept up to date at every resume)
            shift = b - origin
            self.stale = {
                j: ((rv + rd * shift, rd, float(rv + rd * shift), frd) if rd else (rv, rd, fv, frd))
                for j, (rv, rd, fv, frd) in stale.items()
            }
            del self.selected[nsel:]
            del self.left_out[nleft:]
        else:
            limit_b, next_class = None, 1
            self.remaining = set(self.prep.start_remaining)
            self.stale = {j: v for j, v in self.stale.items()}
            for j in self.remaining:
                r = self.prep.qcosts[j] / self.prep.total_sat[j]
                self.stale[j] = (r, rationals.QZERO, float(r), 0.0)
            self.selected = list(self.prep.start)
        del self.checkpoints[keep:]
        # shift the origin: t = 0 is now the budget b
        delta = b - self.b
        budgets = {}
        for c, (bv, bd, _, fd) in self.budgets.items():
            if c < next_class:
                nv = bv + bd * delta
                budgets[c] = (nv, bd, float(nv), fd)
        self.budgets = budgets
        self.next_class = next_class
        self.b = b
        self.T = None if limit_b is None else limit_b - b
        self.done = False
        if not keep:
            self.left_out = self._left_at_start()

    def run(self):
        """Rounds until no project can be paid for. Returns (selected indices, T)."""
        prep = self.prep
        ids, costs = prep.ids, prep.qcosts
        mult = prep.mult
        points = prep.points
        sup_groups, sup_u = prep.sup_groups, prep.sup_u
        fcosts = prep.fcosts
        ZERO = rationals.QZERO
        track = self.track
        limit = self.limit
        budgets, cls, remaining, stale = self.budgets, self.cls, self.remaining, self.stale
        selected = self.selected

        def evaluate(j):
            """Exact rho of project j now (affine in t), or None when its supporters cannot pay."""
            agg: dict = {}
            gs = sup_groups[j]
            if points:
                for g, u in zip(gs, sup_u[j]):
                    c = cls[g]
                    if c != DEAD:
                        key = (c, u)
                        agg[key] = agg.get(key, 0) + mult[g]
                entries = [(budgets[c][2] / u, c, u, m) for (c, u), m in agg.items()]
            else:
                for g in gs:
                    c = cls[g]
                    if c != DEAD:
                        agg[c] = agg.get(c, 0) + mult[g]
                u = sup_u[j]
                entries = [(budgets[c][2], c, u, m) for c, m in agg.items()]
            cost = costs[j]
            fcost = fcosts[j]
            favail = 0.0
            for _, c, u, m in entries:
                favail += m * budgets[c][2]
            if favail < fcost * (1 - 1e-9):
                affordable = False
            elif favail > fcost * (1 + 1e-9):
                affordable = True
            else:
                affordable = sum((m * budgets[c][0] for _, c, u, m in entries), ZERO) >= cost
            if not affordable:
                if track:
                    avail_v = sum((m * budgets[c][0] for _, c, u, m in entries), ZERO)
                    avail_d = sum((m * budgets[c][1] for _, c, u, m in entries), ZERO)
                    limit(_bound(cost - avail_v, -avail_d, strict=True))
                return None
            entries.sort(key=lambda e: e[0])
            # Float order is exact unless two neighbours are (nearly) equal: then sort exactly.
            for k in range(1, len(entries)):
                a, b2 = entries[k - 1][0], entries[k][0]
                if b2 - a <= 1e-9 * abs(b2):
                    entries.sort(key=lambda e: budgets[e[1]][0] / e[2])
                    break
            R = cost
            D = sum(m * u for _, _, u, m in entries)
            Rd = ZERO  # slope of R in t
            npoor = 0
            for _, c, u, m in entries:
                # rho = R / D; this class is rich if rho * u <= its money
                bv, bd, _, _ = budgets[c]
                if R * u <= bv * D:
                    break
                R -= m * bv
                Rd -= m * bd
                D -= m * u
                npoor += 1
            rho_v = R / D
            rho_d = Rd / D
            stale[j] = (rho_v, rho_d, float(rho_v), float(rho_d))
            return rho_v, rho_d, entries, npoor

        while not self.done:
            undo = []
            best = None  # (rho_v, id, j, rho_d, entries, npoor)
            fbest = None
            if remaining:
                order = sorted(remaining, key=lambda j: stale[j][2])
            else:
                order = ()
            evaluated = set()
            for j in order:
                # float(x) is monotone: a larger float means a larger exact value
                if fbest is not None and stale[j][2] > fbest:
                    break
                found = evaluate(j)
                evaluated.add(j)
                if found is None:
                    remaining.discard(j)
                    continue
                rho_v, rho_d, entries, npoor = found
                if best is None or (rho_v, ids[j]) < (best[0], best[1]):
                    best = (rho_v, ids[j], j, rho_d, entries, npoor)
                    fbest = stale[j][2]
            if best is None:
                self.done = True
                self._checkpoint(undo)
                break
            rho_v, sid, s, rho_d, entries, npoor = best
            remaining.discard(s)
            if track and self.T != 0:
                # It must stay the first in (rho, id) order against every other candidate.
                frho_v, frho_d = float(rho_v), float(rho_d)
                # A stale lower bound of rho that would cut T is first made exact for
                # this round (any partition's formula is a lower bound at every t).
                gone = []
                for j in remaining:
                    fresh = j in evaluated
                    first = None
                    while True:
                        sv, sd, fsv, fsd = stale[j]
                        T = self.T
                        if T is not None:
                            fg0 = fsv - frho_v
                            fg1 = fsd - frho_d
                            if fg0 > 1e-9 * (abs(fsv) + abs(frho_v)) and (
                                fg1 >= 0 or fg0 / -fg1 > float(T) * 1.001 + 1e-6
                            ):
                                break  # clearly no tighter than the current limit
                        g0 = sv - rho_v
                        g1 = sd - rho_d
                        if g0 == 0 and ids[j] > sid:
                            x = rationals.QZERO if g1 < 0 else None
                        else:
                            x = _bound(g0, g1, strict=True)
                        if x is None or (T is not None and x >= T):
                            break
                        if not fresh:
                            # both formulas are lower bounds: the later crossing counts
                            fresh, first = True, x
                            if evaluate(j) is None:
                                gone.append(j)
                                break
                            continue
                        if first is not None and first > x:
                            x = first
                        limit(x)
                        break
                remaining.difference_update(gone)
                # The selected project's formula must stay exact: poor stay poor, rich stay rich.
                for k, (_, c, u, m) in enumerate(entries):
                    T = self.T
                    if T == 0:
                        break
                    bv, bd, fv, fd = budgets[c]
                    ff0 = fv - frho_v * u
                    ff1 = fd - frho_d * u
                    if k < npoor:
                        ff0, ff1 = -ff0, -ff1
                    if (
                        T is not None
                        and ff0 > 1e-9 * (abs(fv) + 1)
                        and (ff1 >= 0 or ff0 / -ff1 > float(T) * 1.001 + 1e-6)
                    ):
                        continue  # clearly no tighter than the current limit
                    f0 = bv - rho_v * u
                    f1 = bd - rho_d * u
                    if k < npoor:
                        limit(_bound(-f0, -f1))
                    else:
                        limit(_bound(f0, f1))
            # Its incompatible partners leave the race (after the comparisons above:
            # had one of them beaten s, the round would have gone otherwise); those
            # that could still be paid for are recorded (exact at this run's budget
            # only: rounds kept by resume() are not rechecked).
            for j in prep.partners.get(s, ()):
                if j in remaining:
                    remaining.discard(j)
                    if self._affordable(j):
                        self.left_out.append((j, s))
            # Pay: supporters move to a new class (or DEAD when they spent everything).
            newclass = {}
            pays = {}
            for k, (_, c, u, m) in enumerate(entries):
                key = (c, u) if points else c
                if k < npoor:
                    newclass[key] = DEAD
                    continue
                q = pays.get(u)
                if q is None:
                    q = pays[u] = (rho_v * u, rho_d * u)
                bv, bd, _, _ = budgets[c]
                nv, nd = bv - q[0], bd - q[1]
                if nv == 0 and nd == 0:
                    newclass[key] = DEAD
                    continue
                budgets[self.next_class] = (nv, nd, float(nv), float(nd))
                newclass[key] = self.next_class
                self.next_class += 1
            gs = sup_groups[s]
            if points:
                for g, u in zip(gs, sup_u[s]):
                    c = cls[g]
                    if c != DEAD:
                        undo.append((g, c))
                        cls[g] = newclass[(c, u)]
            else:
                for g in gs:
                    c = cls[g]
                    if c != DEAD:
                        undo.append((g, c))
                        cls[g] = newclass[c]
            selected.append(s)
            self._checkpoint(undo)
        return list(selected), self.T

    def _checkpoint(self, undo):
        if not self.track:
            return
        self.checkpoints.append(
            (
                None if self.T is None else self.b + self.T,
                frozenset(self.remaining),
                dict(self.stale),
                len(self.selected),
                self.next_class,
                undo,
                self.b,
                len(self.left_out),
            )
        )


def _mes_run(prep: _Prepared, b: Fraction, track: bool):
    """One run of MES with ``b`` per voter. Returns (selected indices, T).

    T: the per-voter budget may grow by any amount < T without changing the outcome
    (None: no limit). Only computed when ``track``.
    """
    return _Run(prep, b, track).run()


def _finish(
    election: Election, prep: _Prepared, sel: list[int], rule: str, completion: str, greedy_after: bool, b=None
) -> Result:
    """The result of MES run at ``b`` per voter (None: no run), completed by greedy if asked."""
    votes = _votes_numbers(election)
    ids = [prep.ids[j] for j in sel]
    total = sum((prep.costs[j] for j in sel), ZERO)
    left_out: dict[str, str] = {}
    if prep.partners and b is not None:
        # The projects that left the race when a partner was selected, from a fresh
        # run at the outcome's per-voter budget (the same selection).
        run = _Run(prep, b, False)
        assert run.run()[0] == sel
        for j, k in run.left_out:
            left_out.setdefault(prep.ids[j], prep.ids[k])
    if greedy_after:
        ids, total = _greedy_fill(election, votes, ids, total, left_out)
    return Result(rule, completion, ids, total, votes, election.budget, left_out)


def mes(
    election: Election, completion: str = "add1", *, max_runs: int | None = None, min_score=0, tie_order=None
) -> Result:
    """Method of Equal Shares; ``completion`` is "none" or "add1" (then greedy).
    ``min_score`` and ``tie_order`` as for :func:`greedy`."""
    if completion not in ("none", "add1"):
        raise TallyError(f"unknown completion {completion!r} (expected none or add1)")
    return _counted(election, min_score, tie_order, lambda counted: _mes(counted, completion, max_runs))


def _mes(election: Election, completion: str, max_runs) -> Result:
    prep = _Prepared(election)
    n = prep.n
    if n == 0:
        return _finish(election, prep, [], "mes", completion, completion == "add1")
    b = election.budget / n
    if completion == "none":
        sel, _ = _mes_run(prep, b, track=False)
        return _finish(election, prep, sel, "mes", completion, False, b)
    sel, b = _add1(election, prep, max_runs, with_budget=True)
    return _finish(election, prep, sel, "mes", completion, True, b)


def _add1(election: Election, prep: _Prepared, max_runs=None, engine=None, with_budget=False):
    """The MES part of add1: per-voter budgets budget/n, +1, +2, ... (skipping where T allows).
    With ``with_budget``: (selection, the per-voter budget of its run or None when unknown).

    Cost utilities (approval, ranking) go to the array version (agora.tally.mes_fast);
    ``engine`` forces a (data, run class) pair (tests).
    """
    if engine is None:
        if not prep.points and not prep.partners:
            try:
                sel = mes_fast.add1(prep, election.budget, max_runs)
                return (sel, None) if with_budget else sel
            except AssertionError:  # pragma: no cover - a float outside its bound: a bug
                logger.exception("add1: the array version failed; counting with exact rationals")
        engine = (prep, _Run)
    data, run_class = engine
    budget = election.budget
    b = budget / prep.n
    mes_set = prep.mes_projects
    previous: list[int] = list(prep.start)  # no run: nothing but what costs nothing
    previous_b: Fraction | None = None
    outcome_b: Fraction | None = b
    runs = 0
    state = run_class(data, b, True)
    while True:
        if runs:
            state.resume(b)
        sel, T = state.run()
        runs += 1
        spent = sum((prep.costs[j] for j in sel), ZERO)
        if spent > budget:
            sel, outcome_b = previous, previous_b
            break
        chosen = set(sel)
        # exhaustive: no project still in the race fits in what is left
        if all(j in chosen or prep.costs[j] + spent > budget or prep.out_of_race(j, chosen) for j in mes_set):
            break
        if T is None:  # the outcome would never change: pabutools would loop forever
            break
        if max_runs is not None and runs >= max_runs:
            raise TallyError("add1 completion did not converge")
        previous, previous_b = sel, b
        b += max(1, int(math.ceil(T)))
        outcome_b = b
    return (sel, outcome_b) if with_budget else sel
