"""add1 shortcuts change no result: they equal the add1 loop taken literally.

The reference, ``unit_loop``, is pabutools' loop: a fresh exact MES run (rules._Run, no
resuming, no skipping) at every per-voter budget budget/n, +1, +2, ... The shortcuts are
the exact loop of rules.py (resumed runs, steps skipped where its limit T allows; used for
points ballots) and the array version agora.tally.mes_fast (approval and ranking ballots:
floats with error bounds, resumed runs, certified jumps).
"""

import math
from fractions import Fraction
from unittest import mock

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from agora.tally import Election, Project, mes, mes_fast, pabulib, rules
from agora.testing.shared_data import pabulib_file

from .strategies import elections


def unit_loop(election, max_steps=20_000):
    """The MES part of add1, one fresh exact run per unit of per-voter budget (None after
    ``max_steps`` units)."""
    prep = rules._Prepared(election)
    if prep.n == 0:
        return []
    b = election.budget / prep.n
    previous = list(prep.zero_cost)
    for _ in range(max_steps):
        sel, T = rules._Run(prep, b, track=True).run()
        spent = sum((prep.costs[j] for j in sel), Fraction(0))
        if spent > election.budget:
            sel = previous
            break
        if all(j in sel or prep.costs[j] + spent > election.budget for j in prep.mes_projects):
            break
        if T is None:
            break
        previous = sel
        b += 1
    else:
        return None
    return [prep.ids[j] for j in sel]


def exact_loop(election):
    prep = rules._Prepared(election)
    if prep.n == 0:
        return []
    return [prep.ids[j] for j in rules._add1(election, prep, engine=(prep, rules._Run))]


def fast(election, jumps=True):
    prep = rules._Prepared(election)
    if prep.n == 0:
        return []
    return [prep.ids[j] for j in mes_fast.add1(prep, election.budget, jumps=jumps)]


def small_elections(kinds=("approval", "ranking")):
    """Few voters: many exact ties (equal costs, equal supporters), small poor sets."""
    return elections(kinds=kinds, min_ballots=1)


@st.composite
def large_elections(draw):
    """Up to a thousand voters from a few ballot patterns, odd costs: long add1 loops,
    resumed runs, jumps."""
    n_projects = draw(st.integers(2, 10))
    ids = [f"p{i}" for i in range(n_projects)]
    projects = [Project(id=pid, cost=draw(st.integers(100, 50_000))) for pid in ids]
    budget = draw(st.integers(1_000, 200_000))
    patterns = draw(st.lists(st.frozensets(st.sampled_from(ids), min_size=1, max_size=4), min_size=1, max_size=120))
    counts = draw(st.lists(st.integers(1, 9), min_size=len(patterns), max_size=len(patterns)))
    ballots = []
    for pattern, count in zip(patterns, counts):
        ballots.extend([set(pattern)] * count)
    return Election(projects=projects, budget=budget, ballots=ballots, kind="approval")


# small=-1: every payment of the array version stays a float with its error bound (exact
# values only where a decision needs them, computed from the earlier rounds) and exact
# money goes through numpy; mes_fast.SMALL: exact payments where the poor are few.
SMALLS = st.sampled_from([-1, mes_fast.SMALL])


@settings(max_examples=300, deadline=None)
@given(small_elections(), SMALLS)
def test_small_elections(election, small):
    ref = unit_loop(election)
    assume(ref is not None)
    assert exact_loop(election) == ref
    with mock.patch.object(mes_fast, "SMALL", small):
        assert fast(election) == ref


@settings(max_examples=150, deadline=None)
@given(small_elections(kinds=("points",)))
def test_small_points_elections(election):
    ref = unit_loop(election)
    assume(ref is not None)
    assert exact_loop(election) == ref


@settings(max_examples=120, deadline=None)
@given(large_elections(), SMALLS)
def test_large_elections(election, small):
    ref = unit_loop(election)
    assume(ref is not None)
    assert exact_loop(election) == ref
    with mock.patch.object(mes_fast, "SMALL", small):
        assert fast(election) == ref
        assert fast(election, jumps=False) == ref


def test_resumed_lower_bounds_shift_from_their_own_round():
    """Regression: the exact loop restored lower bounds of rho recorded several resumes
    earlier and shifted them by the last step only; here that made it keep a run valid
    too long and select p1 before p5 (pabutools: p5 first)."""
    costs = {"p0": 100, "p1": 100, "p2": 100, "p3": 100, "p4": 100, "p5": 601, "p6": 4358}
    ballots = (
        [{"p3"}] + [{"p5", "p6"}] * 3 + [{"p0"}] * 3 + [{"p1"}] * 2 + [{"p2", "p3", "p6"}, {"p5"}, {"p0", "p1", "p6"}]
    )
    election = Election(projects=[Project(id=k, cost=v) for k, v in costs.items()], budget=10544, ballots=ballots)
    expected = ["p6", "p0", "p5", "p1", "p3", "p2"]
    assert unit_loop(election) == expected
    assert exact_loop(election) == expected
    assert fast(election) == expected
    assert mes(election, "add1").selected == expected + ["p4"]


def test_identical_projects_tie_by_id_at_every_step():
    """Two projects with the same supporters and cost have equal rho at every budget: the
    floats cannot order them, the exact path gives the smaller id."""
    projects = [Project(id=pid, cost=c) for pid, c in [("b", 700), ("a", 700), ("c", 1000), ("d", 333)]]
    ballots = [{"a", "b"}] * 7 + [{"a", "b", "c"}] * 5 + [{"c", "d"}] * 4 + [{"d"}] * 3
    election = Election(projects=projects, budget=2000, ballots=ballots)
    assert fast(election) == unit_loop(election)
    assert mes(election, "add1").selected[:2] == ["a", "b"]


def test_money_exactly_equal_to_the_cost():
    """A project whose supporters hold exactly its cost is affordable (everyone pays all)."""
    projects = [Project(id="x", cost=300), Project(id="y", cost=Fraction(2001, 2)), Project(id="z", cost=100)]
    ballots = [{"x"}] * 3 + [{"y", "z"}] * 2 + [{"z"}]
    election = Election(projects=projects, budget=600, ballots=ballots)
    assert fast(election) == unit_loop(election)


@pytest.mark.parametrize(
    "name",
    ["Poland_Warszawa_2018_Bielany.pb", "Poland_Warszawa_2019_Ursynow.pb", "Poland_Lodz_2023.pb"],
)
def test_real_instances(name):
    """Fresh array runs equal fresh exact runs at budgets of the add1 loop, and the array
    loop (jumps, resumed runs, floats) equals the exact loop."""
    path = pabulib_file(name)
    election = pabulib.load(path).to_election()
    prep = rules._Prepared(election)
    fp = mes_fast.Prepared(prep)
    b = election.budget / prep.n
    for k in range(0, 60, 7):
        assert mes_fast.Run(fp, b + k, True).run()[0] == rules._Run(prep, b + k, False).run()[0]
    assert fast(election) == exact_loop(election)


def test_jumps_need_the_same_selections():
    """A jump trial fails when the run at b + L selects differently (or a rival may beat
    the selected project in between); the loop then takes smaller steps."""
    path = pabulib_file("Poland_Warszawa_2018_Bielany.pb")
    election = pabulib.load(path).to_election()
    prep = rules._Prepared(election)
    fp = mes_fast.Prepared(prep)
    b = election.budget / prep.n
    state = mes_fast.Run(fp, b, True)
    sel, T = state.run()
    targets = state.thresholds()
    for L in (1, 8, 64, 1000):
        trial = state.fork()
        trial.resume(b + L)
        out = trial.run(targets)
        fresh = [rules._Run(prep, b + k, False).run()[0] for k in range(0, L + 1, max(1, L // 16))]
        if out is not None:  # certified: every budget in between gives the same outcome
            assert all(f == sel for f in fresh)
    assert math.isfinite(float(T))


@pytest.mark.parametrize(
    "name",
    [
        "US_Stanford_Dataset_PB_Greensboro_District_4_2016_vote_approvals.pb",
        "Netherlands_Amsterdam_588.pb",
        "Switzerland_Zurich_SN.pb",
    ],
)
def test_jumps_certified_by_slope_bounds(name):
    """A rival whose rho at b + L is below the selected project's rho at b may still stay
    above it in between (near-parallel rhos): _lipschitz certifies such jumps with bounds
    of the slopes. In every jump certified that way, fresh exact runs at budgets in
    between (fractional ones too) make the same selections up to that round, and the
    whole loop gives the outcome of the exact loop."""
    path = pabulib_file(name)
    election = pabulib.load(path).to_election()
    prep = rules._Prepared(election)
    certified = []
    lipschitz = mes_fast.Run._lipschitz

    def spy(self, q, j, targets):
        ok = lipschitz(self, q, j, targets)
        if ok:
            certified.append((targets[self.nsel][3], self.b, [t[0] for t in targets[: self.nsel + 1]]))
        return ok

    with mock.patch.object(mes_fast.Run, "_lipschitz", spy):
        assert fast(election) == exact_loop(election)
    assert certified
    for b1, b2, order in certified:
        L = int(b2 - b1)
        for k in sorted({0, L, *range(1, L, max(1, L // 24))}):
            for x in (k, k + Fraction(1, 3)) if k < L else (k,):
                sel, _ = rules._Run(prep, b1 + x, False).run()
                assert sel[len(prep.zero_cost) :][: len(order)] == order
