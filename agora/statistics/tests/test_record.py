"""Recording participation: the participant rows (distinct people per scope,
kinds and channels as bits), the daily counts, the rebuild from the components'
rows, and the wiring of the components' services."""

import pytest

from agora.actionlog.services import acting_agent
from agora.comments import services as comment_services
from agora.components.budgets import services as budget_services
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.components.proposals import services as proposal_services
from agora.components.proposals.tests.factories import ProposalFactory
from agora.statistics import api as statistics
from agora.statistics import selectors, services
from agora.statistics.models import DailyCount, Participant
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="proposals")


def where(component):
    return selectors.Where(component.space.organization, space=component.space, component=component)


def test_a_person_is_one_participant_per_scope_whatever_they_do(participant, component):
    statistics.record(kind=statistics.IDEA, component=component, person=participant)
    statistics.record(kind=statistics.SUPPORT, component=component, person=participant)
    statistics.record(kind=statistics.SUPPORT, component=component, person=participant, channel=statistics.PAPER)
    rows = Participant.objects.filter(person=participant).order_by("level")
    assert [(row.level, row.scope_id) for row in rows] == [
        (0, 0),
        (1, component.space_id),
        (2, component.pk),
    ]
    summary = selectors.summary(where(component))
    assert summary.participants == 1
    assert summary.by_channel == {"online": 1, "desk": 0, "paper": 1}
    assert summary.by_kind["idea"] == 1 and summary.by_kind["support"] == 1 and summary.by_kind["ballot"] == 0
    assert summary.contributions == {"idea": 1, "support": 2}
    assert summary.contributions_by_channel == {"online": 2, "paper": 1}


def test_anonymous_participants_count_once_each(component):
    statistics.record(kind=statistics.BALLOT, component=component, channel=statistics.PAPER)
    statistics.record(kind=statistics.BALLOT, component=component, channel=statistics.PAPER)
    summary = selectors.summary(where(component))
    assert summary.participants == 2 and summary.by_channel["paper"] == 2
    assert selectors.summary(selectors.Where(component.space.organization)).participants == 2


def test_a_desk_agent_acting_makes_the_channel_desk(participant, component):
    token = acting_agent.set(factories.UserFactory())
    try:
        statistics.record(kind=statistics.IDEA, component=component, person=participant)
    finally:
        acting_agent.reset(token)
    assert selectors.summary(where(component)).by_channel == {"online": 0, "desk": 1, "paper": 0}


def test_the_profile_is_kept_for_representativeness(component):
    person = factories.UserFactory(age_bracket="25_34", gender="woman")
    statistics.record(kind=statistics.IDEA, component=component, person=person, district_id=7)
    row = Participant.objects.get(person=person, level=Participant.Level.SPACE)
    assert (row.district_id, row.age_bracket, row.gender) == (7, "25_34", "woman")


def test_unknown_kind_or_channel_is_refused(component):
    with pytest.raises(ValueError, match="unknown kind"):
        statistics.record(kind="cheer", component=component)
    with pytest.raises(ValueError, match="unknown channel"):
        statistics.record(kind=statistics.IDEA, component=component, channel="pigeon")


def test_daily_counts_are_striped_and_summed(component):
    for _ in range(40):
        statistics.record(kind=statistics.SUPPORT, component=component)
    assert DailyCount.objects.filter(component_id=component.pk).count() > 1  # several stripes
    assert selectors.summary(where(component)).contributions == {"support": 40}
    periods = selectors.over_time(where(component), by="day")
    assert len(periods) == 1 and periods[0].total == 40 and periods[0].newcomers == 40


def test_supports_and_ideas_are_recorded_by_the_proposals_services(participant, component):
    idea = ProposalFactory(component=component)
    factories.PhaseFactory(space=component.space, is_active=True)
    component.phase_settings = {str(component.space.phases.get().pk): {"supports": "enabled"}}
    component.save()
    proposal_services.support(actor=participant, proposal=idea)
    assert selectors.summary(where(component)).contributions == {"support": 1}


def test_ballots_are_recorded_online_and_on_paper(organization, process):
    component = factories.ComponentFactory(space=process, manifest_name="budgets", settings={})
    phase = factories.PhaseFactory(space=process, is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    component.save()
    budget = BudgetFactory(component=component, envelope=100_000, min_projects=1, max_projects=3)
    project = ProjectFactory(budget=budget, cost=10_000)
    voter = factories.UserFactory()
    factories.member_of(voter, organization)
    budget_services.cast_ballot(actor=voter, budget=budget, choices={project.pk: 1})
    admin = factories.UserFactory()
    factories.member_of(admin, organization)
    factories.RoleFactory(user=admin, organization=organization, space=None, name="org_admin")
    budget_services.enter_paper_ballot(actor=admin, budget=budget, choices={project.pk: 1}, reference="Mairie")
    summary = selectors.summary(where(component))
    assert summary.participants == 2
    assert summary.by_channel == {"online": 1, "desk": 0, "paper": 1}
    assert summary.contributions == {"ballot": 2}
    # Rebuilding from the ballots gives the same figures.
    services.rebuild(organization=organization)
    assert selectors.summary(where(component)) == summary


def test_comments_are_recorded_and_rebuilt(organization, participant, component):
    idea = ProposalFactory(component=component)
    factories.PhaseFactory(space=component.space, is_active=True)
    comment_services.create_comment(actor=participant, target=idea, body="Bonne idée, vraiment.")
    assert selectors.summary(where(component)).contributions == {"comment": 1}
    incremental = selectors.summary(selectors.Where(organization))
    services.rebuild(organization=organization)
    rebuilt = selectors.summary(selectors.Where(organization))
    # The rebuild also finds the idea (filed before statistics were recorded here).
    assert rebuilt.contributions == {"comment": 1, "idea": 1}
    assert incremental.participants == 1 and rebuilt.participants == 2


def test_a_deleted_account_stays_counted_without_its_link(participant, component):
    statistics.record(kind=statistics.IDEA, component=component, person=participant)
    services.erase_account(participant)
    assert not Participant.objects.filter(person=participant).exists()
    assert selectors.summary(where(component)).participants == 1
