"""One ballot per person and budget under parallel requests (PostgreSQL).

Real parallel HTTP requests of the same person (two tabs, a double click)
through the test client in threads. A pause between the "has this person
voted?" read and the insert widens the race window: without the unique
constraint every request would pass the read and insert its own ballot."""

import pytest
from django.test import Client

from agora.components.budgets import selectors, services
from agora.components.budgets.models import Ballot, Choice
from agora.testing.concurrency import in_parallel, requires_postgres, slow_down

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


@pytest.fixture(autouse=True)
def _wide_race_window(monkeypatch):
    slow_down(monkeypatch, services, "_check")


def _parallel_posts(user, url, payloads):
    def post(payload):
        client = Client()
        client.force_login(user)
        return client.post(url, payload).status_code

    return in_parallel([lambda payload=payload: post(payload) for payload in payloads])


def test_two_tabs_of_the_same_person_make_one_ballot(participant, budget, projects):
    # Six tabs confirm a final ballot from the summary at the same moment.
    payloads = [{"project": [projects[i % 3].pk], "vote": "1", "confirm": "1"} for i in range(6)]
    statuses = _parallel_posts(participant, budget.get_absolute_url(), payloads)
    # The losers get the stored ballot back (409, issue 14 item 1), never their own choices.
    assert statuses.count(302) == 1 and statuses.count(409) == 5, statuses
    assert Ballot.objects.filter(voter=participant).count() == 1
    assert Choice.objects.count() == 1
    assert selectors.integrity_problems(budget) == []


def test_auto_mode_races_end_with_one_ballot_and_exact_counters(participant, component, budget, projects):
    component.settings = {"validation": "auto"}
    component.save()
    payloads = [{"project": [projects[i % 4].pk, projects[4].pk], "vote": "1"} for i in range(6)]
    statuses = _parallel_posts(participant, budget.get_absolute_url(), payloads)
    assert set(statuses) == {302}, statuses
    assert Ballot.objects.filter(voter=participant).count() == 1
    assert Choice.objects.count() == 2
    assert selectors.integrity_problems(budget) == []


def test_many_people_in_parallel_keep_every_counter_exact(budget, projects, voters):
    people = voters(12)
    outcomes = in_parallel(
        [
            lambda person=person, n=n: services.cast_ballot(
                actor=person, budget=budget, choices={projects[n % 5].pk: 1, projects[(n + 2) % 5].pk: 1}
            )
            for n, person in enumerate(people)
        ]
    )
    assert all(isinstance(outcome, Ballot) for outcome in outcomes), outcomes
    assert Ballot.objects.count() == 12
    assert selectors.integrity_problems(budget) == []
