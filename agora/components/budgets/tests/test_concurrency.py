"""One ballot per person and budget under parallel requests (PostgreSQL).

Real parallel HTTP requests of the same person (two tabs, a double click)
through the test client in threads. A pause between the "has this person
voted?" read and the insert widens the race window: without the unique
constraint every request would pass the read and insert its own ballot."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from agora.components.budgets import selectors, services
from agora.components.budgets.models import Ballot, Choice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (parallel transactions)")


@pytest.fixture(autouse=True)
def _wide_race_window(monkeypatch):
    original = services._check

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(0.2)
        return result

    monkeypatch.setattr(services, "_check", slow)


def _parallel_posts(user, url, payloads):
    barrier = threading.Barrier(len(payloads))
    statuses = []

    def run(payload):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            statuses.append(client.post(url, payload).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(payload,)) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_two_tabs_of_the_same_person_make_one_ballot(participant, budget, projects):
    payloads = [{"project": [projects[i % 3].pk], "vote": "1"} for i in range(6)]
    statuses = _parallel_posts(participant, budget.get_absolute_url(), payloads)
    assert statuses.count(302) == 1 and statuses.count(400) == 5, statuses
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
    barrier = threading.Barrier(len(people))

    def run(person, n):
        try:
            barrier.wait()
            services.cast_ballot(actor=person, budget=budget,
                                 choices={projects[n % 5].pk: 1, projects[(n + 2) % 5].pk: 1})
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(person, n)) for n, person in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Ballot.objects.count() == 12
    assert selectors.integrity_problems(budget) == []
