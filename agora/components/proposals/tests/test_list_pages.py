"""The list's pages (ids first, then the cards): every order gives the same
sequence as the ordered queryset, pages follow each other without gaps or
repeats, and a page costs the same queries wherever it is."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.components.proposals import selectors
from agora.components.proposals.models import Proposal

from .factories import ProposalFactory

ORDERS = ("random", "recent", "most_supported", "most_commented")


@pytest.fixture
def ideas(component, participant):
    from agora.comments.services import create_comment

    made = [ProposalFactory(component=component, supports_count=n % 3) for n in range(11)]
    ProposalFactory(component=component, status=Proposal.Status.WITHDRAWN)
    for idea, comments in ((made[2], 2), (made[7], 1), (made[9], 2)):
        for n in range(comments):
            create_comment(actor=participant, target=idea, body=f"Commentaire {n} sur cette idée.")
    return made


def walk(component, order, per_page=4):
    filters = {"order": order}
    page, cards = selectors.list_page(component, AnonymousUser(), filters=filters, seed=77, number=1, per_page=per_page)
    seen = [p.pk for p in cards]
    while page.has_next():
        page, cards = selectors.list_page(
            component, AnonymousUser(), filters=filters, seed=77, number=page.next_page_number(), per_page=per_page
        )
        seen += [p.pk for p in cards]
    return seen


@pytest.mark.parametrize("order", ORDERS)
def test_pages_follow_the_order_of_the_list(component, ideas, order):
    expected = [
        p.pk for p in selectors.proposals_for_list(component, AnonymousUser(), filters={"order": order}, seed=77)
    ]
    assert sorted(expected) == sorted(p.pk for p in ideas)
    assert walk(component, order) == expected
    if order == "most_commented":
        assert expected[:3] == [ideas[9].pk, ideas[2].pk, ideas[7].pk]  # 2, 2 (newer first), 1 comments


def test_random_order_depends_on_the_seed(component, ideas):
    first = selectors.list_page(component, AnonymousUser(), filters={"order": "random"}, seed=1, per_page=20)[1]
    other = selectors.list_page(component, AnonymousUser(), filters={"order": "random"}, seed=2, per_page=20)[1]
    assert [p.pk for p in first] != [p.pk for p in other]
    assert sorted(p.pk for p in first) == sorted(p.pk for p in other)


@pytest.mark.parametrize("order", ORDERS)
def test_a_far_page_costs_the_same_queries(component, ideas, order):
    def queries(number):
        with CaptureQueriesContext(connection) as captured:
            page, cards = selectors.list_page(
                component, AnonymousUser(), filters={"order": order, "q": ""}, seed=5, number=number, per_page=2
            )
        return len(captured), page.number, len(cards)

    selectors.filter_terms(component)  # the filters' terms (the cards' category, scope, state), read by the form
    # The page's ids with the list's length, its ideas, their pictures (selectors.with_pictures).
    assert queries(1) == (3, 1, 2)
    assert queries(4) == (3, 4, 2)
    assert queries(99) == (5, 6, 1)  # past the end: the last page (nothing there, the length, the last page)
    assert queries(0) == (4, 6, 1)  # below 1: the last page too, as Paginator.get_page (the length, the last page)
    assert queries("x") == (3, 1, 2)


def test_withdrawn_filter_and_empty_list(component, ideas):
    page, cards = selectors.list_page(component, AnonymousUser(), filters={"status": "withdrawn"}, per_page=5)
    assert [p.status for p in cards] == ["withdrawn"] and page.paginator.count == 1
    page, cards = selectors.list_page(component, AnonymousUser(), filters={"q": "introuvablemot"}, per_page=5)
    assert cards == [] and page.paginator.count == 0
    page, cards = selectors.list_page(component, AnonymousUser(), filters={"q": "introuvablemot"}, number=3, per_page=5)
    assert cards == [] and page.number == 1 and page.paginator.count == 0


@pytest.mark.parametrize("order", ORDERS)
def test_the_length_read_with_the_ids_is_the_list_s(component, ideas, order):
    for number in (1, 3, 4, 9):
        page, cards = selectors.list_page(
            component, AnonymousUser(), filters={"order": order}, number=number, per_page=4
        )
        assert page.paginator.count == 11 and page.paginator.num_pages == 3
        assert page.number == min(number, 3) and len(cards) == (3 if page.number == 3 else 4)
        assert page.has_next() == (page.number < 3) and page.start_index() == (page.number - 1) * 4 + 1


def test_shortcut_urls_equal_the_reversed_ones(component, ideas):
    from django.urls import reverse

    from agora.components.proposals.templatetags.proposals import IDEA_ACTIONS, purl

    idea = ideas[0]
    kwargs = {**component.url_kwargs(), "proposal_id": idea.pk}
    assert idea.get_absolute_url() == reverse("proposals:detail", kwargs=kwargs)
    for name in IDEA_ACTIONS - {"embed"}:
        assert purl(component, name, idea.pk) == reverse(f"proposals:{name}", kwargs=kwargs)
    # The embeddable card is the components' generic view (agora.web.sharing): its id is resource_id.
    embed_kwargs = {**component.url_kwargs(), "resource_id": idea.pk}
    assert purl(component, "embed", idea.pk) == reverse("proposals:embed", kwargs=embed_kwargs)
    for name in ("index", "map", "create"):
        assert purl(component, name) == reverse(f"proposals:{name}", kwargs=component.url_kwargs())


def test_a_logged_in_list_counts_the_visitor_s_ideas_once(client, component, ideas, participant):
    assert component.settings_of().proposal_limit  # the create permission and "ideas left" both need it
    client.force_login(participant)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(component.get_absolute_url())
    assert response.status_code == 200
    # rules.visitor_counts: the person's ideas, supports and draft in one query.
    counts = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(*)" in q["sql"] and "author_id" in q["sql"] and "proposals_proposal" in q["sql"]
    ]
    assert len(counts) == 1, counts


def walk_at(component, order, version, per_page=4):
    """walk() with the list's ids kept for a content version (what the list page does)."""
    from agora.core import pagecache

    seen, number = [], 1
    with pagecache.memo_scope(1):
        while True:
            page, cards = selectors.list_page(
                component,
                AnonymousUser(),
                filters={"order": order},
                seed=77,
                number=number,
                per_page=per_page,
                version=version,
            )
            seen += [p.pk for p in cards]
            if not page.has_next():
                return seen, page.paginator.count
            number = page.next_page_number()


@pytest.mark.parametrize("order", ORDERS)
def test_pages_cut_from_the_ids_kept_for_a_content_version_follow_the_order(component, ideas, order):
    """The random and most-commented orders cut their pages from the list's ids
    kept for the content version (numpy: the same keys as random_key); the
    other orders keep the list's length. Every page is the queryset's."""
    expected = [
        p.pk for p in selectors.proposals_for_list(component, AnonymousUser(), filters={"order": order}, seed=77)
    ]
    assert walk_at(component, order, version=1) == (expected, 11)
    assert walk_at(component, order, version=1) == (expected, 11)  # from what was kept


@pytest.mark.parametrize("order", ["random", "most_commented", "recent"])
def test_a_page_of_a_kept_list_asks_neither_the_order_nor_the_length(component, ideas, order):
    from agora.core import pagecache

    def ids_queries(number, version):
        with pagecache.memo_scope(1), CaptureQueriesContext(connection) as captured:
            page, cards = selectors.list_page(
                component, AnonymousUser(), filters={"order": order}, seed=5, number=number, per_page=4, version=version
            )
        lists = [q["sql"] for q in captured if "proposals_attachment" not in q["sql"]]  # (the pictures' order)
        return [sql for sql in lists if "ORDER BY" in sql or "OVER" in sql], page, cards

    selectors.filter_terms(component)
    ids_queries(1, version=7)
    asked, page, cards = ids_queries(2, version=7)
    if order == "recent":  # the ids of the page, without their count (an index gives them in order)
        assert len(asked) == 1 and "OVER" not in asked[0]
    else:
        assert asked == []
    assert page.paginator.count == 11 and len(cards) == 4
    asked, page, _cards = ids_queries(99, version=7)  # past the end: the last page, nothing more asked
    assert page.number == 3 and len(asked) == (1 if order == "recent" else 0)
    ProposalFactory(component=component)
    _asked, page, _cards = ids_queries(1, version=8)  # a write moved the version: the list is read again
    assert page.paginator.count == 12
