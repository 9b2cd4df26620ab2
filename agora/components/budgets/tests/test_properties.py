"""Properties over whole votes, with the database (Hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agora.accounts.services import delete_account
from agora.components.budgets import counting, selectors, services
from agora.components.budgets.ballot_rules import RuleSpec, check_ballot
from agora.components.budgets.models import Ballot, Budget, Choice, Project
from agora.components.budgets.tests.conftest import close_votes
from agora.testing import factories

slow = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
N_PROJECTS = 5
ballots = st.lists(
    st.dictionaries(st.integers(0, N_PROJECTS - 1), st.sampled_from([1, 1, 1, 2, 3, 6]), max_size=N_PROJECTS),
    min_size=1,
    max_size=8,
)
rules = st.sampled_from(["approval", "envelope", "points", "ranking", "savings"])
costs = st.lists(st.integers(1, 60), min_size=N_PROJECTS, max_size=N_PROJECTS)


def _setup(component, organization, rule, project_costs, n_people):
    Ballot.objects.all().delete()
    Budget.objects.all().delete()
    budget = Budget.objects.create(
        component=component,
        title={"fr": "B"},
        envelope=100,
        rule=rule,
        min_projects=0,
        max_projects=3,
        min_percent=20,
        points_total=6,
        points_min=1,
        rank_k=3,
        savings_target=40,
    )
    projects = [
        Project.objects.create(component=component, budget=budget, title={"fr": f"P{i}"}, cost=cost)
        for i, cost in enumerate(project_costs)
    ]
    people = []
    for _ in range(n_people):
        person = factories.UserFactory()
        factories.member_of(person, organization)
        people.append(person)
    return budget, projects, people


def _cast(budget, projects, people, raw_ballots):
    accepted = 0
    for person, raw in zip(people, raw_ballots):
        choices = {projects[i].pk: value for i, value in raw.items()}
        try:
            services.cast_ballot(actor=person, budget=budget, choices=choices)
            accepted += 1
        except services.BallotRefused:
            pass
    return accepted


@slow
@given(rule=rules, project_costs=costs, raw_ballots=ballots)
def test_no_stored_ballot_breaks_its_rule(component, organization, rule, project_costs, raw_ballots):
    budget, projects, people = _setup(component, organization, rule, project_costs, len(raw_ballots))
    accepted = _cast(budget, projects, people, raw_ballots)
    assert Ballot.objects.filter(budget=budget).count() == accepted
    spec, infos = RuleSpec.of(budget), selectors.project_infos(budget)
    assert all(not check_ballot(spec, infos, ballot) for ballot in selectors.ballots_for_count(budget))
    assert selectors.integrity_problems(budget) == []


@slow
@given(
    rule=st.sampled_from(["approval", "points", "ranking"]),
    method=st.sampled_from(["greedy", "mes"]),
    project_costs=costs,
    raw_ballots=ballots,
)
def test_the_tally_of_an_export_equals_the_published_result(
    component, organization, space_admin, rule, method, project_costs, raw_ballots
):
    from agora.tally import pabulib

    component.phase_settings = {}
    component.save()
    budget, projects, people = _setup(component, organization, rule, project_costs, len(raw_ballots))
    phase = component.space.phases.get(is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    component.save()
    _cast(budget, projects, people, raw_ballots)
    Budget.objects.filter(pk=budget.pk).update(method=method, completion="add1")
    close_votes(component)
    budget = services.publish_results(actor=space_admin, budget=Budget.objects.get(pk=budget.pk))
    budget.component = component
    recount = pabulib.recount(pabulib.loads(pabulib.dumps(counting.to_pabulib(budget))))
    assert list(recount.selected) == budget.result["selected"]
    phase = component.space.phases.get(is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    component.save()


@slow
@given(project_costs=costs, raw_ballots=ballots, leaving=st.lists(st.integers(0, 7), max_size=4))
def test_totals_never_change_when_voters_delete_their_account(
    component, organization, project_costs, raw_ballots, leaving
):
    budget, projects, people = _setup(component, organization, "approval", project_costs, len(raw_ballots))
    _cast(budget, projects, people, raw_ballots)
    before = list(Project.objects.filter(budget=budget).order_by("id").values_list("votes_online", "points_online"))
    result = counting.count(budget)
    for index in set(leaving):
        if index < len(people):
            delete_account(user=people[index])
    after = list(Project.objects.filter(budget=budget).order_by("id").values_list("votes_online", "points_online"))
    assert before == after
    assert counting.count(budget)["selected"] == result["selected"]
    assert Choice.objects.filter(ballot__budget=budget).count() == sum(v for v, _p in before)
