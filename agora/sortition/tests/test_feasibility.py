from agora.sortition import feasibility
from agora.sortition.tests.conftest import toy

GENDER_AGE = {
    ("gender", "f"): (0, 10),
    ("gender", "m"): (0, 10),
    ("age", "young"): (0, 10),
    ("age", "old"): (0, 10),
}


def people(spec):
    """spec: [(count, age, gender)] -> volunteers with ids p0, p1 ..."""
    out = []
    for count, age, gender in spec:
        for _ in range(count):
            out.append((f"p{len(out):02d}", (age, gender), None))
    return out


def sentences(report):
    return [feasibility.describe(c) for c in report.conflicts], [feasibility.describe(c) for c in report.changes()]


def test_feasible_quotas_pass():
    report = feasibility.check(toy(people([(5, "young", "f"), (5, "old", "m")]), GENDER_AGE, 4))
    assert report.feasible and not report.conflicts and not report.relaxations


def test_minimum_above_the_volunteers_who_have_it():
    quotas = GENDER_AGE | {("gender", "f"): (12, 20)}
    report = feasibility.check(toy(people([(9, "young", "f"), (11, "old", "m")]), quotas, 15))
    conflicts, changes = sentences(report)
    assert not report.feasible
    assert "At least 12 people with gender “f” are required but only 9 volunteers have it." in conflicts
    assert changes == ["Lower the minimum of gender “f” from 12 to 9."]


def test_minimums_above_the_panel_and_pool_too_small():
    quotas = GENDER_AGE | {("age", "young"): (3, 5), ("age", "old"): (3, 5)}
    report = feasibility.check(toy(people([(4, "young", "f"), (4, "old", "m")]), quotas, 5))
    conflicts, changes = sentences(report)
    assert "The minimums of age add up to 6, more than the 5 seats of the panel." in conflicts
    assert len(changes) == 1 and changes[0].startswith("Lower the minimum of age")
    small = feasibility.check(toy(people([(2, "young", "f")]), GENDER_AGE, 5))
    assert sentences(small)[0] == ["The panel has 5 seats but the pool has only 2 volunteers."]
    assert small.relaxations == []


def test_a_minimum_another_feature_makes_unreachable():
    # 5 young people are needed, but every young volunteer is a woman and at most 3 women may sit
    quotas = GENDER_AGE | {("age", "young"): (5, 10), ("gender", "f"): (0, 3)}
    report = feasibility.check(toy(people([(6, "young", "f"), (8, "old", "m")]), quotas, 8))
    conflicts, changes = sentences(report)
    assert "age “young”: minimum 5, but with the quotas of gender at most 3 can be chosen." in conflicts
    assert "gender “f”: maximum 3, but with the quotas of age at least 5 must be chosen." in conflicts
    # the smallest relaxation changes two units in total: 5 -> 3 young, or 3 -> 5 women
    moved = sum(abs(r.new_min - r.old_min) + abs(r.new_max - r.old_max) for r in report.relaxations)
    assert moved == 2
    assert len(changes) == 1


def test_households_can_make_quotas_infeasible():
    quotas = {("age", "young"): (2, 2), ("age", "old"): (0, 2), ("gender", "f"): (0, 2), ("gender", "m"): (0, 2)}
    volunteers = [("a", ("young", "f"), "h"), ("b", ("young", "m"), "h"), ("c", ("old", "m"), None)]
    report = feasibility.check(toy(volunteers, quotas, 2))
    assert not report.feasible
    assert sentences(report)[0] == ["With at most one person per household, no panel meets the quotas."]
    assert [(r.old_min, r.new_min) for r in report.relaxations] == [(2, 1)]


def test_relaxation_of_a_minimum_far_above_the_panel():
    quotas = GENDER_AGE | {("gender", "f"): (30, 40)}
    report = feasibility.check(toy(people([(20, "young", "f"), (20, "old", "m")]), quotas, 8))
    assert [(r.old_min, r.new_min) for r in report.relaxations] == [(30, 8)]
