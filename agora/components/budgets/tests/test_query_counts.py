"""The SQL queries of a budget's ballot page, pinned (docs/proposals.md,
"Queries per page"): for an anonymous visitor and for a logged-in
participant during the vote (before and after voting), with the process's
memo warm and cold, whatever the number of projects. A count that goes up
fails here, with the queries listed."""

import pytest
from django.utils import timezone

from agora.components.budgets import services
from agora.components.budgets.tests.factories import ProjectFactory
from agora.testing.query_counts import busy_participant, gate, page_queries

# Content version, session, user, what pages need to know about the person
# (agora.visitor: one query), the person's ballot, the projects and their documents.
BALLOT_PAGE = 4 + 3
# With a stored ballot: its choices too.
VOTED = BALLOT_PAGE + 1
# Cold: the organization, the component with the space's other components
# (the tabs) and its phases, the budget and its projects' costs, the
# eligibility rules, the withdrawal of results and the incompatible projects
# (ballot_page_notes).
COLD = 8


def _open(component, budget, organization, costs=(50_000, 30_000, 20_000, 10_000, 60_000)):
    space = component.space
    space.published_at = timezone.now()
    space.save()
    gate(component, "vote")
    for cost in costs:
        ProjectFactory(budget=budget, cost=cost)
    services.draw_tie_order(budget)  # as the first page of the open vote does (a write)
    return busy_participant(organization)


@pytest.fixture
def during_the_vote(component, budget, organization):
    return _open(component, budget, organization)


def _check(result, expected):
    status, queries = result
    assert status == 200
    assert len(queries) == expected, "\n".join(f"{n}. {sql[:200]}" for n, sql in enumerate(queries, 1))


def _url(budget):
    return f"{budget.component.get_absolute_url()}{budget.pk}/"


def test_ballot_page_for_a_participant(client, budget, during_the_vote):
    client.force_login(during_the_vote)
    _check(page_queries(client, _url(budget)), BALLOT_PAGE)
    _check(page_queries(client, _url(budget), cold=True), BALLOT_PAGE + COLD)


def test_ballot_page_after_voting(client, budget, during_the_vote):
    first, second = list(budget.projects.order_by("id"))[:2]
    services.cast_ballot(actor=during_the_vote, budget=budget, choices={first.pk: 1, second.pk: 1})
    client.force_login(during_the_vote)
    _check(page_queries(client, _url(budget)), VOTED)


def test_ballot_page_queries_do_not_grow_with_the_projects(client, component, budget, organization):
    client.force_login(_open(component, budget, organization, costs=[1_000] * 20))
    _check(page_queries(client, _url(budget)), BALLOT_PAGE)


def test_ballot_page_for_an_anonymous_visitor(client, budget, during_the_vote):
    # The version, the projects and their documents (the page is not cached).
    _check(page_queries(client, _url(budget)), 3)
    # The session is not read; no eligibility rules are asked of a visitor who is not logged in.
    _check(page_queries(client, _url(budget), cold=True), 3 + COLD - 1)
