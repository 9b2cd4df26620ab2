"""The SQL queries of the ideas' list and of an idea page, pinned
(docs/proposals.md, "Queries per page"): for an anonymous visitor whose page
is not in the page cache and for a logged-in participant in the middle of a
vote (never served from the page cache), on the first page and a later one,
with the process's memo warm (the usual case, supports and comments
included) and cold (right after a change of settings). The counts do not
grow with the page size.

A count that goes up fails here: find the new query (the assertion shows
them all) and read it with the page's other reads, or memoise it for the
page (docs/architecture.md: what a page reads may be memoised; what a write
depends on never is)."""

import pytest
from django.utils import timezone

from agora.components.proposals import services
from agora.components.proposals.models import Proposal
from agora.testing import factories
from agora.testing.query_counts import busy_participant, follow, gate, page_queries

from .conftest import configure, phase
from .factories import ProposalFactory

# The request: content version, session, user, what pages need to know about
# the person (agora.visitor: terms, e-mail, roles, desk, notifications,
# conversations, verifications: one query).
REQUEST = 4
# The list: the page's ids with the list's length, their ideas (with the
# visitor's supports among them and their comment counts; the category, scope
# and state from the memo of the filters), their pictures, the cards' HTML
# cache, the person's ideas, supports and draft (rules.visitor_counts).
LIST_LOGGED_IN = REQUEST + 5
# Cold (right after a change of settings: a component, a phase, a category):
# the organization, the component with the space's other components (the
# tabs) and its phases, the categories, scopes and states of the filters
# (one query), the eligibility rules.
COLD = 5
# Anonymous, not in the page cache: the version and the list's 4 reads.
LIST_ANONYMOUS = 1 + 4
# An idea page: the idea (with the visitor's support and follow, and the
# count of its conversation) and its attachments, the person's counts, the
# conversation (a page of comments with the visitor's votes, their replies,
# the people they mention). What other components say of it (api.mentions_of:
# the meetings it was given at or that discuss it) costs a query only when the
# idea's own query says that a meeting links it (test_mentions_ask_...).
IDEA_LOGGED_IN = REQUEST + 3 + 3
# Cold: the organization (with the home page's hero picture that a shared page
# without a picture of its own shows), the component with the space's other
# components (the tabs) and its phases, the eligibility rules, the follow-up
# results that cite the idea (the custom fields only for an idea with answers).
IDEA_COLD = 5


@pytest.fixture
def vote(component, organization):
    """A process in its supports phase, 24 ideas, the busy participant who
    supports 8 of them, wrote one, keeps a draft, follows the process and
    voted on a comment of the first idea's conversation."""
    process = component.space
    process.published_at = timezone.now()
    process.save()
    phase(component, creation_enabled=True, supports="enabled")
    configure(component, per_page=5, support_threshold=10)
    person = busy_participant(organization)
    others = [factories.UserFactory() for _ in range(3)]
    for other in others:
        factories.member_of(other, organization)
    category = factories.CategoryFactory(organization=organization)
    ideas = [ProposalFactory(component=component, author=others[n % 3], category=category) for n in range(23)]
    ProposalFactory(component=component, author=person)
    ProposalFactory(component=component, author=person, status=Proposal.Status.DRAFT, published_at=None)
    for idea in ideas[:8]:
        services.support(actor=person, proposal=idea)
    follow(person, process, component, ideas[0], others[0])
    from agora.comments import services as comments

    first = comments.create_comment(actor=others[0], target=ideas[0], body="Très bonne idée pour le quartier.")
    comments.create_comment(
        actor=others[1], target=ideas[0], parent=first, body=f"D'accord avec @{others[0].nickname}, et le parc aussi."
    )
    comments.vote(actor=person, comment=first, value=1)
    gate(component, "create", "support", "comment")
    return person, ideas


def _check(result, expected):
    status, queries = result
    assert status == 200
    assert len(queries) == expected, "\n".join(f"{n}. {sql[:200]}" for n, sql in enumerate(queries, 1))


@pytest.mark.parametrize("page", ["", "&page=3"])
def test_list_for_a_participant(client, component, vote, page):
    client.force_login(vote[0])
    url = component.get_absolute_url() + "?order=recent" + page
    _check(page_queries(client, url), LIST_LOGGED_IN)
    _check(page_queries(client, url, cold=True), LIST_LOGGED_IN + COLD)


@pytest.mark.parametrize("order", ["random", "most_supported", "most_commented"])
def test_list_orders_for_a_participant(client, component, vote, order):
    """In the random and most-commented orders the list's ids are kept for the
    content version (selectors.list_page): a page read again at the same
    version cuts its ids from them (one query less); after a write (a new
    content version: a support, a comment) the list is read again, in one
    query as before."""
    from agora.core import pagecache

    client.force_login(vote[0])
    url = f"{component.get_absolute_url()}?order={order}&page=2"
    kept = order in ("random", "most_commented")
    _check(page_queries(client, url), LIST_LOGGED_IN - 1 if kept else LIST_LOGGED_IN)
    _check(page_queries(client, url, between=lambda: pagecache.bump_version(settings=False)), LIST_LOGGED_IN)
    _check(page_queries(client, url, cold=True), LIST_LOGGED_IN + COLD)


@pytest.mark.parametrize("page", ["", "&page=3"])
def test_list_for_an_anonymous_visitor_not_in_the_page_cache(client, component, vote, settings, page):
    settings.AGORA_PAGE_CACHE_SECONDS = 0
    url = component.get_absolute_url() + "?order=recent" + page
    _check(page_queries(client, url), LIST_ANONYMOUS)
    _check(page_queries(client, url, cold=True), LIST_ANONYMOUS + COLD - 1)  # (no eligibility rules asked)


def test_list_queries_do_not_grow_with_the_page_size(client, component, vote):
    client.force_login(vote[0])
    url = component.get_absolute_url() + "?order=recent"
    configure(component, per_page=20)
    _check(page_queries(client, url), LIST_LOGGED_IN)


def test_a_support_or_a_comment_leaves_the_memo_warm(client, component, vote):
    """They move the content version (cached pages show them), not the
    settings version the memo is kept for: during a vote the pages keep
    their counts."""
    from agora.comments import services as comments

    person, ideas = vote
    client.force_login(person)
    url = component.get_absolute_url() + "?order=recent"
    # (An idea of another page: a card that changed is rendered again and stored once in the cards' cache.)
    _check(page_queries(client, url, between=lambda: services.support(actor=person, proposal=ideas[9])), LIST_LOGGED_IN)
    _check(
        page_queries(
            client,
            ideas[0].get_absolute_url(),
            between=lambda: comments.create_comment(
                actor=person, target=ideas[0], body="Et des arbres le long de la rue."
            ),
        ),
        IDEA_LOGGED_IN,
    )


def test_idea_page_for_a_participant(client, component, vote):
    person, ideas = vote
    client.force_login(person)
    _check(page_queries(client, ideas[0].get_absolute_url()), IDEA_LOGGED_IN)
    _check(page_queries(client, ideas[12].get_absolute_url()), IDEA_LOGGED_IN - 2)  # no comments: one query
    _check(page_queries(client, ideas[0].get_absolute_url(), cold=True), IDEA_LOGGED_IN + IDEA_COLD)


def test_what_the_idea_page_reads_with_the_idea_is_shown(client, component, vote):
    """The follow button, the count of the conversation and the visitor's
    votes come with the idea and its comments: the page says the same."""
    person, ideas = vote
    client.force_login(person)
    followed = client.get(ideas[0].get_absolute_url()).content.decode()
    assert 'name="action" value="unfollow"' in followed  # following the first idea
    other = client.get(ideas[12].get_absolute_url()).content.decode()
    assert 'name="action" value="unfollow"' not in other and 'name="action" value="follow"' in other
    assert followed.count('class="mention"') == 1  # the reply's mention links the person


def test_comments_without_a_mention_ask_no_mention_query(client, component, vote, django_assert_num_queries):
    from agora.comments import selectors as comments
    from agora.comments import services as comment_services

    person, ideas = vote
    comment_services.create_comment(actor=person, target=ideas[5], body="Sans mention.")
    with django_assert_num_queries(2):  # the count, the top comments (with the votes); no reply (the count says)
        page = comments.thread_page(ideas[5], user=person)
    assert [c.body for c in page.comments] == ["Sans mention."] and page.total == 1
    with django_assert_num_queries(1):
        assert comments.thread_page(ideas[5], user=person, total=1).total == 1
    comment_services.create_comment(actor=person, target=ideas[5], parent=page.comments[0], body="Une réponse.")
    with django_assert_num_queries(3):  # the replies now
        page = comments.thread_page(ideas[5], user=person)
    assert [reply.body for reply in page.comments[0].children] == ["Une réponse."]


# The budget of bench/proposals_list.py for logged-in participants (issue 16):
# at most 10 queries a page with the memo warm, 15 right after a change of settings.
WARM_BUDGET, COLD_BUDGET = 10, 15


@pytest.mark.parametrize(
    "query", ["", "?page=3", "?order=recent&page=2", "?order=most_commented", "?q=idee", "?status=withdrawn"]
)
def test_the_benchs_pages_keep_their_budget_of_queries(client, component, vote, query, django_assert_max_num_queries):
    """The list in its default (random) order, its filters and orders, and an
    idea page with a conversation, for a participant in the middle of a vote:
    warm (read again) and cold (after a change of settings; the page's cards
    are in the cards' cache, as the bench's). test_a_support_or_a_comment_...
    pins the pages after a support or a comment."""
    from agora.core import pagecache

    person, ideas = vote
    client.force_login(person)
    for url in (component.get_absolute_url() + query, ideas[0].get_absolute_url()):
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(WARM_BUDGET):
            assert client.get(url).status_code == 200
        pagecache.bump_version()
        with django_assert_max_num_queries(COLD_BUDGET):
            assert client.get(url).status_code == 200
