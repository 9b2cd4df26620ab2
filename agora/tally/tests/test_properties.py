"""Property tests of the counting rules and the pabulib writer."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from agora.tally import Election, greedy, mes, pabulib

from .strategies import elections


def count(election, rule):
    if rule == "greedy":
        return greedy(election)
    return mes(election, rule.split("-")[1])


RULES = st.sampled_from(["greedy", "mes-none", "mes-add1"])


@settings(max_examples=150, deadline=None)
@given(elections(), RULES)
def test_never_over_budget(election, rule):
    result = count(election, rule)
    assert result.total_cost <= election.budget
    assert result.total_cost == sum(election.by_id[p].cost for p in result.selected)
    assert len(set(result.selected)) == len(result.selected)


@settings(max_examples=150, deadline=None)
@given(elections(), st.sampled_from(["greedy", "mes-add1"]))
def test_greedy_and_completed_mes_are_exhaustive(election, rule):
    result = count(election, rule)
    leftover = election.budget - result.total_cost
    chosen = set(result.selected)
    assert all(p.cost > leftover for p in election.projects if p.id not in chosen)


@settings(max_examples=100, deadline=None)
@given(elections(), RULES, st.randoms(use_true_random=False))
def test_independent_of_ballot_order_and_deterministic(election, rule, rnd):
    first = count(election, rule)
    assert count(election, rule).selected == first.selected
    shuffled = list(election.ballots)
    rnd.shuffle(shuffled)
    other = Election(projects=election.projects, budget=election.budget, ballots=shuffled, kind=election.kind)
    assert count(other, rule).selected == first.selected


def _utility(election, ballot, pid):
    if election.kind == "points":
        return Fraction(ballot.get(pid, 0))
    return election.by_id[pid].cost if pid in ballot else 0


@settings(max_examples=150, deadline=None)
@given(elections())
def test_mes_without_completion_is_paid_by_equal_shares(election):
    """Replaying MES's choices: each selected project is paid by its supporters' remaining money."""
    result = mes(election, "none")
    n = election.num_ballots
    if n == 0:
        assert result.selected == []
        return
    money = [election.budget / n] * n
    for pid in result.selected:
        cost = election.by_id[pid].cost
        supporters = [i for i, b in enumerate(election.ballots) if _utility(election, b, pid) > 0]
        # the supporters together can pay for it
        assert sum(money[i] for i in supporters) >= cost
        # find rho (the smallest factor that collects the cost) and charge
        lo = sorted(supporters, key=lambda i: money[i] / _utility(election, election.ballots[i], pid))
        remaining, denom = cost, sum(_utility(election, election.ballots[i], pid) for i in lo)
        rho = None
        for i in lo:
            u = _utility(election, election.ballots[i], pid)
            if remaining / denom * u <= money[i]:
                rho = remaining / denom
                break
            remaining -= money[i]
            denom -= u
        assert rho is not None
        for i in supporters:
            money[i] -= min(money[i], rho * _utility(election, election.ballots[i], pid))
        assert all(m >= 0 for m in money)
    # and no project left out could still be paid for by its supporters at any price
    chosen = set(result.selected)
    for p in election.projects:
        if p.id in chosen or p.cost == 0:
            continue
        supporters = [i for i, b in enumerate(election.ballots) if _utility(election, b, p.id) > 0]
        if supporters:
            assert sum(money[i] for i in supporters) < p.cost


@settings(max_examples=100, deadline=None)
@given(elections(), RULES)
def test_recounting_an_export_gives_the_published_result(election, rule):
    published = count(election, rule)
    text = pabulib.dumps(pabulib.from_election(election, meta={"rule": rule}))
    recount = count(pabulib.loads(text).to_election(), rule)
    assert recount.selected == published.selected
    assert recount.total_cost == published.total_cost
    assert recount.votes == published.votes


SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20).map(str.strip)


@st.composite
def pb_files(draw):
    meta = draw(st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), SAFE_TEXT, max_size=5))
    meta.update({"budget": str(draw(st.integers(0, 10**9))), "vote_type": "approval"})
    pcols = ["project_id", "cost", "name", "category"]
    ids = draw(st.lists(st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True), min_size=1, max_size=6, unique=True))
    projects = [
        {"project_id": pid, "cost": str(draw(st.integers(0, 10**6))), "name": draw(SAFE_TEXT), "category": "a,b"}
        for pid in ids
    ]
    votes = [
        {
            "voter_id": str(i),
            "vote": ",".join(draw(st.lists(st.sampled_from(ids), unique=True))),
            "age": draw(SAFE_TEXT),
        }
        for i in range(draw(st.integers(0, 6)))
    ]
    return pabulib.PbFile(meta, pcols, projects, ["voter_id", "vote", "age"], votes)


@settings(max_examples=150, deadline=None)
@given(pb_files())
def test_parse_write_parse_round_trips(pb):
    text = pabulib.dumps(pb)
    again = pabulib.loads(text)
    assert again == pb
    assert pabulib.dumps(again) == text
