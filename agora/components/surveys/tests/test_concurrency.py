"""One response per person and survey under parallel submissions (PostgreSQL).

Real parallel requests of the same person (two tabs, a double click) and
parallel calls of the service: a pause after the "has this person answered?"
read widens the race window, so that without the unique constraint every
request would insert its own response."""

import pytest

from agora.components.surveys import services
from agora.components.surveys.models import Response, Survey
from agora.components.surveys.selectors import answer_count
from agora.components.surveys.tests.conftest import option
from agora.questionnaires.models import Tally
from agora.testing import factories
from agora.testing.concurrency import in_parallel, requires_postgres, slow_down

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


@pytest.fixture(autouse=True)
def _wide_race_window(monkeypatch):
    slow_down(monkeypatch, services, "_existing")


def values(q, position=0):
    return (
        {q["bike"].pk: {"option": option(q["bike"], position), "other": ""}, q["often"].pk: 3}
        if position == 0
        else {q["bike"].pk: {"option": option(q["bike"], position), "other": ""}}
    )


def tally(question, key):
    """The counter: its shards added up."""
    return sum(Tally.objects.filter(question=question, key=key).values_list("count", flat=True))


def test_parallel_submissions_of_one_person_make_one_response(component, q, participant):
    outcomes = in_parallel(
        [
            lambda n=n: services.respond(actor=participant, component=component, values=values(q, n % 2))
            for n in range(6)
        ]
    )
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert Response.objects.filter(respondent=participant).count() == 1
    assert answer_count(Survey.objects.get()) == 1
    # The counters hold exactly the one answer set that stayed.
    assert tally(q["bike"], "answered") == 1
    assert tally(q["bike"], f"o:{option(q['bike'], 0)}") + tally(q["bike"], f"o:{option(q['bike'], 1)}") == 1


def test_without_changes_the_losers_are_told_they_already_answered(component, q, participant):
    component.settings = {"editable": False}
    component.save()
    outcomes = in_parallel(
        [lambda: services.respond(actor=participant, component=component, values=values(q)) for _n in range(5)]
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 4 and all(error.code == "already" for error in refused), outcomes
    assert Response.objects.count() == 1 and tally(q["bike"], "answered") == 1


def test_many_people_at_once_keep_the_counters_and_the_cap_exact(component, q, organization):
    component.settings = {"max_answers": 7}
    component.save()
    people = []
    for _n in range(10):
        person = factories.UserFactory()
        factories.member_of(person, organization)
        people.append(person)
    outcomes = in_parallel(
        [
            lambda person=person: services.respond(actor=person, component=component, values=values(q))
            for person in people
        ]
    )
    full = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(full) == 3 and all(error.code == "full" for error in full), outcomes
    assert Response.objects.count() == 7 and answer_count(Survey.objects.get()) == 7
    assert tally(q["bike"], "answered") == 7 and tally(q["often"], "v:3") == 7
