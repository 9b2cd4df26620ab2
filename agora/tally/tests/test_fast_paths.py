"""The speed-ups of MES change no result: resumed add1 runs equal fresh runs, gmpy2 equals Fraction."""

import math
from fractions import Fraction

import pytest

from agora.tally import mes, pabulib, rationals, restricted, rules
from agora.testing.shared_data import pabulib_file

SAMPLE = [
    "Netherlands_Assen_2024.pb",
    "Switzerland_Zurich_D10.pb",
    "Switzerland_Zurich_S5R.pb",
    "Poland_Swiecie_2023.pb",
    "France_Toulouse_2019.pb",
]


def add1_fresh_runs(election):
    """The add1 loop with a fresh MES run at every per-voter budget (no resuming)."""
    prep = rules._Prepared(election)
    b = election.budget / prep.n
    previous = list(prep.start)
    while True:
        sel, T = rules._Run(prep, b, track=True).run()
        spent = sum((prep.costs[j] for j in sel), Fraction(0))
        if spent > election.budget:
            sel = previous
            break
        if all(
            j in sel or prep.costs[j] + spent > election.budget or prep.out_of_race(j, sel) for j in prep.mes_projects
        ):
            break
        if T is None:
            break
        previous = sel
        b += max(1, int(math.ceil(T)))
    return [prep.ids[j] for j in sel]


def load(name):
    path = pabulib_file(name)
    return pabulib.load(path).to_election()


@pytest.mark.parametrize("name", SAMPLE)
def test_resumed_add1_equals_fresh_runs(name):
    election = load(name)
    ours = mes(election, "add1")
    mes_part = add1_fresh_runs(election)
    assert ours.selected[: len(mes_part)] == mes_part


@pytest.mark.parametrize("name", SAMPLE)
def test_resumed_add1_with_incompatibilities_equals_fresh_runs(name):
    """Pairs among the winners (each of the first four with a loser): the exact
    engine (the array version does not know incompatibilities) resumes runs in
    which the partners of a selected project leave the race."""
    election = load(name)
    winners = mes(election, "add1").selected
    losers = [p.id for p in election.projects if p.id not in winners]
    pairs = list(zip(winners[:4], reversed(losers)))
    pairs.append((winners[0], winners[1]))
    paired = restricted(election, [p.id for p in election.projects], incompatible=pairs)
    ours = mes(paired, "add1")
    mes_part = add1_fresh_runs(paired)
    assert ours.selected[: len(mes_part)] == mes_part
    assert winners[1] not in ours.selected and ours.left_out[winners[1]] == winners[0]
    chosen = set(ours.selected)
    assert all(pid not in chosen and rival in chosen for pid, rival in ours.left_out.items())


@pytest.mark.parametrize("name", SAMPLE)
def test_pure_python_fractions_give_the_same_result(name, monkeypatch):
    election = load(name)
    fast = (mes(election, "none").selected, mes(election, "add1").selected)
    monkeypatch.setattr(rationals, "Q", Fraction)
    monkeypatch.setattr(rationals, "QZERO", Fraction(0))
    monkeypatch.setattr(rationals, "QONE", Fraction(1))
    assert (mes(election, "none").selected, mes(election, "add1").selected) == fast
