"""Two app servers (two processes) against one PostgreSQL, with the database
connection of the server that makes a change cut right after its COMMIT
(issue 24, sections 1 and 2): the other server must refuse a ballot at once
once the vote is closed, and must not show an old organization name."""

import contextlib
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from agora.components.budgets.models import Ballot
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.components.proposals.tests.factories import ProposalFactory
from agora.core.models import Organization
from agora.core.services import update_organization
from agora.spaces.models import Phase, Role
from agora.spaces.services import activate_phase, sync_active_phases
from agora.testing import factories
from agora.testing.concurrency import AppServer, connection_lost_after_commit, requires_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


@pytest.fixture
def admin(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    Role.objects.create(user=user, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    return user


def close_by_hand(admin, results):
    activate_phase(actor=admin, phase=results)


def close_by_the_calendar(admin, results):
    sync_active_phases()  # manage.py sync_phases, every 15 minutes


@pytest.mark.parametrize("close", [close_by_hand, close_by_the_calendar])
def test_a_vote_closed_on_one_server_is_closed_at_once_on_the_other(process, admin, voters_of, close):
    today = timezone.localdate()
    vote = factories.PhaseFactory(
        space=process,
        is_active=True,
        position=0,
        start_date=today - timedelta(days=9),
        end_date=today - timedelta(days=1),
    )
    results = factories.PhaseFactory(
        space=process, is_active=False, position=1, start_date=today, end_date=today + timedelta(days=30)
    )
    component = factories.ComponentFactory(
        space=process,
        manifest_name="budgets",
        settings={},
        phase_settings={str(vote.pk): {"votes_enabled": True}, str(results.pk): {"votes_enabled": False}},
    )
    budget = BudgetFactory(component=component, envelope=100_000, min_projects=1, max_projects=3)
    project = ProjectFactory(budget=budget, cost=10_000)
    early, late = voters_of(2)
    url = budget.get_absolute_url()
    ballot = {"project": [project.pk], "vote": "1", "confirm": "1"}  # confirmed on the summary

    with AppServer() as other:
        assert other.request("get", url, user=early)[0] == 200
        assert other.request("post", url, ballot, user=early)[0] == 302  # the vote is open
        assert other.request("get", url, user=late)[0] == 200  # the other server has it memoised
        with contextlib.suppress(DatabaseError), connection_lost_after_commit():
            close(admin, results)  # the officer may see an error page
        assert Phase.objects.get(pk=results.pk).is_active  # but the close is committed
        status, html = other.request("post", url, ballot, user=late)
    assert status == 403, html[:2000]
    assert list(Ballot.objects.values_list("voter_id", flat=True)) == [early.pk]


def test_a_renamed_organization_shows_at_once_on_the_other_server(process, admin):
    idea = ProposalFactory(component__space=process)
    url = idea.get_absolute_url()
    organization = Organization.objects.get(host="testserver")

    with AppServer() as other:
        for _ in range(2):  # rendered, then served from the page cache
            status, html = other.request("get", url)
            assert status == 200 and "Ville de Test" in html
        with contextlib.suppress(DatabaseError), connection_lost_after_commit():
            update_organization(actor=admin, organization=organization, values={"name": "Ville de Test-sur-Mer"})
        assert Organization.objects.get(pk=organization.pk).name == "Ville de Test-sur-Mer"
        status, html = other.request("get", url)
    assert status == 200 and "Ville de Test-sur-Mer" in html


@pytest.fixture
def voters_of(organization):
    def make(n):
        people = []
        for _ in range(n):
            user = factories.UserFactory()
            factories.member_of(user, organization)
            people.append(user)
        return people

    return make
