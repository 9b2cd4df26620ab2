"""The ideas' pages served to anonymous visitors from the page cache
(agora.core.pagecache): a hit renders nothing, any committed write to what
the pages show makes them stale, a logged-in person never gets a cached
page, and every visitor gets their own CSRF token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agora.components.proposals import views
from agora.components.proposals.models import Proposal
from agora.core import pagecache

from .factories import ProposalFactory

TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]+)"')
NONCE = re.compile(r' nonce="[^"]+"')


@pytest.fixture
def idea(component):
    return ProposalFactory(component=component, title="Des bancs au parc")


@pytest.fixture
def rendered(monkeypatch):
    """Counts the list pages actually rendered (not served from the cache)."""
    calls = []
    original = views._index_page

    def counting(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(views, "_index_page", counting)
    return calls


def visitor():
    client = Client(HTTP_HOST="testserver")
    client.cookies["django_language"] = "en"
    return client


def test_second_visit_is_served_from_the_cache_with_fewer_queries(component, idea, rendered):
    client, url = visitor(), component.get_absolute_url()
    assert "sessionid" in client.get(url).cookies  # a random-order seed, in a new session
    first = client.get(url)  # rendered and stored for this seed
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(rendered) == 2  # the third came from the cache
    assert second.status_code == 200 and "Des bancs au parc" in second.content.decode()
    assert len(queries) <= 7
    # The same page but for the CSRF token and the CSP nonce, which are new for each response.
    assert NONCE.sub("", TOKEN.sub("", first.content.decode())) == NONCE.sub("", TOKEN.sub("", second.content.decode()))


def test_a_write_makes_the_cached_pages_stale(component, idea, rendered):
    client, url = visitor(), component.get_absolute_url()
    client.get(url)
    client.get(url)
    ProposalFactory(component=component, title="Une fontaine place du marché")
    page = client.get(url).content.decode()
    assert "Une fontaine place du marché" in page and len(rendered) == 3
    Proposal.objects.filter(pk=idea.pk).update(title="Des bancs et des arbres")  # no signal: still seen
    assert "Des bancs et des arbres" in client.get(url).content.decode()
    detail = idea.get_absolute_url()
    assert "Des bancs et des arbres" in client.get(detail).content.decode()
    with connection.cursor() as cursor:  # raw SQL is watched too
        cursor.execute("UPDATE proposals_proposal SET title = %s WHERE id = %s", ["Un kiosque", idea.pk])
    assert "Un kiosque" in client.get(detail).content.decode()


def test_a_write_to_an_ignored_table_keeps_the_cache(component, idea):
    before = pagecache.current_version()
    from django.contrib.sessions.backends.db import SessionStore

    SessionStore().create()
    assert pagecache.current_version() == before
    ProposalFactory(component=component)
    assert pagecache.current_version() > before


def test_every_visitor_gets_their_own_working_csrf_token(component, idea):
    url = idea.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.get(url)
    page_one, page_two = first.get(url).content.decode(), second.get(url).content.decode()
    token_one, token_two = TOKEN.search(page_one).group(1), TOKEN.search(page_two).group(1)
    assert pagecache.PLACEHOLDER not in page_one + page_two
    assert token_one != token_two
    # The token of the cached page works with this visitor's cookie (the language switcher).
    answer = second.post("/i18n/setlang/", {"csrfmiddlewaretoken": token_two, "language": "en", "next": url})
    assert answer.status_code == 302
    refused = second.post("/i18n/setlang/", {"csrfmiddlewaretoken": "x" * 64, "language": "en", "next": url})
    assert refused.status_code == 403


def test_logged_in_people_never_get_a_cached_page(component, idea, participant, rendered):
    url = component.get_absolute_url()
    anonymous = visitor()
    for _ in range(3):
        anonymous.get(url)
    person = visitor()
    person.force_login(participant)
    for _ in range(3):
        person.get(url)
    assert len(rendered) == 5  # twice for the anonymous visitor (no seed, then stored), three times for the person


def test_the_cache_can_be_turned_off(component, idea, rendered, settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 0
    client, url = visitor(), component.get_absolute_url()
    for _ in range(3):
        client.get(url)
    assert len(rendered) == 3


def test_random_order_stays_per_visitor(component):
    for n in range(12):
        ProposalFactory(component=component, title=f"Idée {n}")
    url = component.get_absolute_url() + "?order=random"
    orders = []
    for _ in range(4):
        client = visitor()
        client.get(url)
        pages = [re.findall(r"Idée \d+", client.get(url).content.decode()) for _ in range(2)]
        assert pages[0] == pages[1]  # stable for one visitor, cached or not
        orders.append(pages[0])
    assert len({tuple(order) for order in orders}) > 1  # not everybody's order


@pytest.mark.parametrize(
    "sql, params, bumps",
    [
        ('UPDATE "proposals_proposal" SET "title" = %s WHERE "id" = -1', ["x"], True),
        ('DELETE FROM "taxonomy_category" WHERE "id" = -1', None, True),
        (
            'UPDATE "budgets_project" SET "votes_online" = ("budgets_project"."votes_online" + 1) WHERE "id" = -1',
            None,
            False,
        ),
        ('UPDATE "budgets_project" SET "votes_online" = 1, "weight" = %s WHERE "id" = -1', [1], True),
        ('UPDATE "django_session" SET "session_data" = %s WHERE "session_key" = \'x\'', ["x"], False),
        ("SELECT %s", [1], False),
    ],
)
def test_which_statements_move_the_version(db, sql, params, bumps):
    before = pagecache.current_version()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert (pagecache.current_version() > before) == bumps


def test_the_version_moves_after_commit_and_not_after_rollback(transactional_db):
    from django.db import transaction

    from agora.testing import factories

    before = pagecache.current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.OrganizationFactory()
        raise RuntimeError("rolled back")
    assert pagecache.current_version() == before
    with transaction.atomic():
        factories.OrganizationFactory()
        factories.OrganizationFactory()
        assert pagecache.current_version() == before  # not before the commit
    assert pagecache.current_version() == before + 1  # once per transaction
