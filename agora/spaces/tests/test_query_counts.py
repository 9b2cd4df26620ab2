"""The SQL queries of a process page, pinned (docs/proposals.md, "Queries
per page"): for a logged-in participant (never served from the page cache)
and an anonymous visitor whose page is not in the cache, with the process's
memo warm and cold, whatever the number of components. A count that goes up
fails here, with the queries listed."""

import pytest
from django.utils import timezone

from agora.testing import factories
from agora.testing.query_counts import busy_participant, follow, page_queries

# Content version, session, user, what pages need to know about the person
# (agora.visitor: one query), the follow button.
PROCESS_PAGE = 5
# Cold: the organization, the space and its phases, its components, whether the
# organization shows its participation figures (agora.statistics).
COLD = 5


@pytest.fixture
def process_page(organization):
    process = factories.SpaceFactory(organization=organization, published_at=timezone.now())
    factories.PhaseFactory(space=process, is_active=True)
    for n in range(3):
        factories.ComponentFactory(
            space=process, manifest_name="pages", name={"fr": f"Page {n}"}, published_at=timezone.now()
        )
    return process


def _check(result, expected):
    status, queries = result
    assert status == 200
    assert len(queries) == expected, "\n".join(f"{n}. {sql[:200]}" for n, sql in enumerate(queries, 1))


def test_process_page_for_a_participant(client, organization, process_page):
    person = busy_participant(organization)
    follow(person, process_page)
    client.force_login(person)
    _check(page_queries(client, process_page.get_absolute_url()), PROCESS_PAGE)
    _check(page_queries(client, process_page.get_absolute_url(), cold=True), PROCESS_PAGE + COLD)


def test_process_page_queries_do_not_grow_with_the_components(client, organization, process_page):
    for n in range(10):
        factories.ComponentFactory(
            space=process_page, manifest_name="pages", name={"fr": f"Autre {n}"}, published_at=timezone.now()
        )
    client.force_login(busy_participant(organization))
    _check(page_queries(client, process_page.get_absolute_url()), PROCESS_PAGE)


def test_process_page_for_an_anonymous_visitor(client, process_page, settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 0
    _check(page_queries(client, process_page.get_absolute_url()), 1)  # the content version
    _check(page_queries(client, process_page.get_absolute_url(), cold=True), 1 + COLD)
