"""One response per person and survey under parallel submissions (PostgreSQL).

Real parallel requests of the same person (two tabs, a double click) and
parallel calls of the service: a pause after a response is inserted (not yet
committed) widens the race window: the others' inserts wait for it on the
unique constraint, then find the response taken and change it (or are told
they already answered); a person the page saw answer before has their
response locked first."""

import pytest

from agora.components.surveys import services
from agora.components.surveys.models import Response, Survey
from agora.components.surveys.selectors import answer_count
from agora.components.surveys.tests.conftest import option
from agora.questionnaires.models import AnswerSet, Tally
from agora.testing import factories
from agora.testing.concurrency import in_parallel, requires_postgres, slow_down

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


@pytest.fixture(autouse=True)
def _wide_race_window(monkeypatch):
    slow_down(monkeypatch, services, "_insert_response")
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
    # The answer sets of the inserts that found the response taken are not left behind.
    assert AnswerSet.objects.count() == 1
    # The counters hold exactly the one answer set that stayed.
    assert tally(q["bike"], "answered") == 1
    assert tally(q["bike"], f"o:{option(q['bike'], 0)}") + tally(q["bike"], f"o:{option(q['bike'], 1)}") == 1


def test_parallel_changes_of_an_earlier_response_lock_it_first(component, q, participant):
    """The page saw an earlier response (`answered_before`): each change locks it and replaces its answers."""
    first, _changed = services.respond(actor=participant, component=component, values=values(q, 0))
    outcomes = in_parallel(
        [
            lambda n=n: services.respond(
                actor=participant, component=component, values=values(q, n % 2), answered_before=True
            )
            for n in range(4)
        ]
    )
    assert [(response.pk, changed) for response, changed in outcomes] == [(first.pk, True)] * 4, outcomes
    assert Response.objects.count() == 1 and AnswerSet.objects.count() == 1
    assert answer_count(Survey.objects.get()) == 1 and tally(q["bike"], "answered") == 1
    assert tally(q["bike"], f"o:{option(q['bike'], 0)}") + tally(q["bike"], f"o:{option(q['bike'], 1)}") == 1


def test_without_changes_the_losers_are_told_they_already_answered(component, q, participant):
    component.settings = {"editable": False}
    component.save()
    outcomes = in_parallel(
        [lambda: services.respond(actor=participant, component=component, values=values(q)) for _n in range(5)]
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 4 and all(error.code == "already" for error in refused), outcomes
    assert Response.objects.count() == 1 and tally(q["bike"], "answered") == 1 and AnswerSet.objects.count() == 1


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
