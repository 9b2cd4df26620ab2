"""Parallel ballots (PostgreSQL only): one person voting at once online and on
paper, or from two tabs, leaves one ballot; many people at once leave counters
equal to their marks. Fails without the unique constraints or with counters
read and written back."""

from datetime import date

import pytest

from agora.components.votations import services
from agora.components.votations.models import Ballot, Mark, Votation
from agora.components.votations.tests.conftest import option, yes_marks
from agora.components.votations.tests.test_services import person
from agora.testing import factories
from agora.testing.concurrency import in_parallel, requires_postgres, slow_down

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


def test_one_person_online_and_on_paper_at_once_votes_once(open_vote, organization, org_admin, monkeypatch):
    voter = person(organization)
    slow_down(monkeypatch, services, "check_marks", 0.2)
    outcomes = in_parallel(
        [
            lambda: services.cast_ballot(
                actor=voter,
                votation=Votation(pk=open_vote.pk, component=open_vote.component),
                marks=yes_marks(open_vote),
            ),
            lambda: services.enter_paper_ballot(
                actor=org_admin,
                votation=Votation(pk=open_vote.pk, component=open_vote.component),
                marks=yes_marks(open_vote, "no"),
                station="Mairie",
                identity=services.PaperIdentity("Martin", "Claire", date(1980, 5, 4)),
            ),
            lambda: services.cast_ballot(
                actor=voter,
                votation=Votation(pk=open_vote.pk, component=open_vote.component),
                marks=yes_marks(open_vote),
            ),
        ]
    )
    assert sum(isinstance(outcome, Ballot) for outcome in outcomes) == 1, outcomes
    assert all(isinstance(outcome, (Ballot, services.BallotRefused)) for outcome in outcomes), outcomes
    assert Ballot.objects.count() == 1
    yes, no = option(open_vote, "yes"), option(open_vote, "no")
    assert yes.votes_online + no.votes_paper == 1 == Mark.objects.count()


def test_many_voters_at_once_keep_counters_equal_to_marks(open_vote, organization):
    voters = []
    for _n in range(10):
        voter = factories.UserFactory()
        factories.member_of(voter, organization)
        voters.append(voter)
    slow_down(monkeypatch := pytest.MonkeyPatch(), services, "check_marks", 0.05)
    try:
        outcomes = in_parallel(
            [
                lambda voter=voter, n=n: services.cast_ballot(
                    actor=voter,
                    votation=Votation(pk=open_vote.pk, component=open_vote.component),
                    marks=yes_marks(open_vote, "yes" if n % 2 else "no"),
                )
                for n, voter in enumerate(voters)
            ]
        )
    finally:
        monkeypatch.undo()
    assert all(isinstance(outcome, Ballot) for outcome in outcomes), outcomes
    yes, no = option(open_vote, "yes"), option(open_vote, "no")
    assert (yes.votes_online, no.votes_online) == (5, 5)
    assert Mark.objects.filter(option=yes).count() == 5 and Ballot.objects.count() == 10
