"""The pure ballot rules, example by example and as properties."""

from hypothesis import given, settings
from hypothesis import strategies as st

from agora.components.budgets.ballot_rules import (
    ProjectInfo,
    RuleSpec,
    check_approval,
    check_ballot,
    check_categories,
    check_envelope,
    check_points,
    check_ranking,
    check_savings,
    meter,
    minimum_spending,
)
from agora.components.budgets.models import Budget

PROJECTS = {
    pk: ProjectInfo(pk, cost, category)
    for pk, cost, category in [(1, 50, 1), (2, 30, 1), (3, 20, 2), (4, 10, 2), (5, 60, None)]
}


def codes(problems):
    return {p.code for p in problems}


def test_approval_min_and_max():
    spec = RuleSpec("approval", envelope=100, min_projects=1, max_projects=3)
    assert codes(check_approval(spec, PROJECTS, {})) == {"too_few"}
    assert check_approval(spec, PROJECTS, {1: 1, 2: 1, 3: 1}) == []
    assert codes(check_approval(spec, PROJECTS, {1: 1, 2: 1, 3: 1, 4: 1})) == {"too_many"}
    assert codes(check_approval(spec, PROJECTS, {1: 2})) == {"not_binary"}


def test_envelope_within_budget_and_minimum_share():
    spec = RuleSpec("envelope", envelope=100, min_percent=80)
    assert check_envelope(spec, PROJECTS, {1: 1, 2: 1, 3: 1}) == []  # 100
    assert codes(check_envelope(spec, PROJECTS, {1: 1, 5: 1})) == {"over_envelope"}  # 110
    assert codes(check_envelope(spec, PROJECTS, {1: 1, 4: 1})) == {"under_minimum"}  # 60 < 80
    assert minimum_spending(RuleSpec("envelope", envelope=1001, min_percent=80)) == 801


def test_points():
    spec = RuleSpec("points", envelope=0, points_total=10, points_min=2, points_max=6)
    assert check_points(spec, PROJECTS, {1: 6, 2: 4}) == []
    assert "points_left" in codes(check_points(spec, PROJECTS, {1: 6}))
    assert "too_many_points" in codes(check_points(spec, PROJECTS, {1: 6, 2: 6}))
    assert "below_points_min" in codes(check_points(spec, PROJECTS, {1: 1, 2: 6, 3: 3}))
    assert "above_points_max" in codes(check_points(spec, PROJECTS, {1: 7, 2: 3}))


def test_ranking():
    spec = RuleSpec("ranking", envelope=0, rank_k=3, min_projects=1)
    assert check_ranking(spec, PROJECTS, {3: 1, 1: 2}) == []
    assert codes(check_ranking(spec, PROJECTS, {3: 1, 1: 3})) == {"bad_ranks"}
    assert codes(check_ranking(spec, PROJECTS, {3: 1, 1: 1})) == {"bad_ranks"}
    assert "too_many" in codes(check_ranking(spec, PROJECTS, {1: 1, 2: 2, 3: 3, 4: 4}))
    assert codes(check_ranking(spec, PROJECTS, {})) == {"too_few"}


def test_savings_reach_the_target():
    spec = RuleSpec("savings", envelope=0, savings_target=75)
    assert check_savings(spec, PROJECTS, {1: 1, 2: 1}) == []
    assert codes(check_savings(spec, PROJECTS, {1: 1})) == {"under_target"}


def test_limit_per_category_applies_to_every_rule():
    spec = RuleSpec("approval", envelope=100, max_projects=5, max_per_category=1)
    assert codes(check_categories(spec, PROJECTS, {1: 1, 2: 1})) == {"category_limit"}
    assert check_ballot(spec, PROJECTS, {1: 1, 3: 1, 5: 1}) == []
    assert codes(check_ballot(spec, PROJECTS, {1: 1, 2: 1})) == {"category_limit"}


def test_unknown_projects_and_bad_values():
    spec = RuleSpec("approval", envelope=100)
    assert codes(check_ballot(spec, PROJECTS, {99: 1})) == {"unknown_project"}
    assert codes(check_ballot(spec, PROJECTS, {1: 0})) == {"bad_value"}


def test_meter():
    spec = RuleSpec("envelope", envelope=100, min_percent=50)
    figures = meter(spec, PROJECTS, {1: 1, 3: 1})
    assert (figures.unit, figures.used, figures.remaining, figures.minimum) == ("euros", 70, 30, 50)
    figures = meter(RuleSpec("points", envelope=0, points_total=10), PROJECTS, {1: 4})
    assert (figures.unit, figures.used, figures.remaining) == ("points", 4, 6)


# --- properties -----------------------------------------------------------------

specs = st.builds(
    RuleSpec,
    rule=st.sampled_from(Budget.Rule),
    envelope=st.integers(0, 200),
    min_projects=st.integers(0, 3),
    max_projects=st.one_of(st.none(), st.integers(3, 5)),
    min_percent=st.integers(0, 100),
    max_per_category=st.one_of(st.none(), st.integers(1, 3)),
    points_total=st.integers(1, 30),
    points_min=st.integers(1, 3),
    points_max=st.one_of(st.none(), st.integers(3, 30)),
    rank_k=st.integers(1, 5),
    savings_target=st.integers(0, 150),
)
ballots = st.dictionaries(st.sampled_from(sorted(PROJECTS)), st.integers(1, 12), max_size=5)


@settings(max_examples=400, deadline=None)
@given(spec=specs, ballot=ballots)
def test_an_accepted_ballot_never_breaks_its_rule(spec, ballot):
    """Whatever the rule, a ballot check_ballot accepts satisfies every
    constraint of the rule, checked here independently."""
    if check_ballot(spec, PROJECTS, ballot):
        return
    count = len(ballot)
    cost = sum(PROJECTS[pk].cost for pk in ballot)
    assert count >= spec.min_projects
    if spec.rule != "ranking" and spec.max_projects is not None:
        assert count <= spec.max_projects
    if spec.rule in ("approval", "envelope", "savings"):
        assert set(ballot.values()) <= {1}
    if spec.rule == "envelope":
        assert spec.envelope * spec.min_percent <= cost * 100 and cost <= spec.envelope
    if spec.rule == "savings":
        assert cost >= spec.savings_target
    if spec.rule == "points":
        assert sum(ballot.values()) == spec.points_total or not ballot and spec.points_total == 0
        assert all(v >= spec.points_min and (spec.points_max is None or v <= spec.points_max) for v in ballot.values())
    if spec.rule == "ranking":
        assert sorted(ballot.values()) == list(range(1, count + 1)) and count <= spec.rank_k
    if spec.max_per_category is not None:
        for category in {PROJECTS[pk].category_id for pk in ballot} - {None}:
            assert sum(1 for pk in ballot if PROJECTS[pk].category_id == category) <= spec.max_per_category


def test_the_meter_never_shows_a_negative_remainder():
    """Issue 14, item 5: "36000 € / 30000 €, -6000 €" on a full bar."""
    from agora.components.budgets.ballot_rules import ProjectInfo, RuleSpec, meter

    projects = {1: ProjectInfo(1, 20_000), 2: ProjectInfo(2, 16_000)}
    figures = meter(RuleSpec(rule=Budget.Rule.ENVELOPE, envelope=30_000), projects, {1: 1, 2: 1})
    assert (figures.used, figures.remaining, figures.over, figures.percent, figures.cost) == (
        36_000,
        0,
        6_000,
        100,
        36_000,
    )
    figures = meter(RuleSpec(rule=Budget.Rule.ENVELOPE, envelope=30_000), projects, {1: 1})
    assert (figures.remaining, figures.over, figures.percent) == (10_000, 0, 65)
