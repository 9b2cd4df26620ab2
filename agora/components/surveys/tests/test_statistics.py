"""Answers to a survey count as participation (issue 21): each person once,
split by channel (online, at a desk, on paper), and the statistics' rebuild
from the responses finds the same figures."""

from agora.components.surveys import services
from agora.components.surveys.models import Response
from agora.components.surveys.tests.conftest import option
from agora.statistics import selectors as statistics_selectors
from agora.statistics import services as statistics_services
from agora.testing import factories


def test_answers_online_at_a_desk_and_on_paper_are_counted_and_rebuilt(component, q, organization, space_admin):
    where = statistics_selectors.Where(organization, space=component.space, component=component)
    online, helped = factories.UserFactory(), factories.UserFactory()
    for user in (online, helped):
        factories.member_of(user, organization)
    # "No" to the first question: the questions for cyclists (some required) stay hidden.
    no = {q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}}
    services.respond(actor=online, component=component, values=no)
    services.respond(actor=online, component=component, values=no)  # a change: still one person, one answer
    services.respond(actor=helped, component=component, values=no, channel=Response.Channel.DESK)
    services.enter_paper_answers(actor=space_admin, component=component, values=no, reference="Mairie, urne 1")
    summary = statistics_selectors.summary(where)
    assert summary.participants == 3
    assert summary.by_channel == {"online": 1, "desk": 1, "paper": 1}
    assert summary.contributions == {"answer": 3}
    statistics_services.rebuild(organization=organization)
    assert statistics_selectors.summary(where) == summary
