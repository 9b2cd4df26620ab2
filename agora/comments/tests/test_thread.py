"""The thread loads in pages with a fixed number of queries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.comments import selectors
from agora.comments.models import Comment, CommentVote


def _make_threads(post, author, voter, roots: int, replies: int = 2):
    ct = ContentType.objects.get_for_model(post)
    common = dict(
        content_type=ct,
        object_id=post.pk,
        organization=post.component.space.organization,
        space=post.component.space,
        component=post.component,
    )
    for n in range(roots):
        top = Comment.objects.create(author=author, body=f"top {n} @{voter.nickname}", **common)
        Comment.objects.filter(pk=top.pk).update(root_id=top.pk)
        top.mentioned.add(voter)
        CommentVote.objects.create(comment=top, user=voter, value=1)
        parent = top
        for depth in range(1, replies + 1):
            parent = Comment.objects.create(
                author=voter, body=f"reply {n}.{depth}", parent=parent, root=top, depth=min(depth, 2), **common
            )


@pytest.mark.parametrize("per_page", [5, 20, 50])
def test_thread_page_queries_do_not_grow_with_page_size(per_page, post, participant, member):
    voter = member()
    _make_threads(post, participant, voter, roots=60)
    with CaptureQueriesContext(connection) as queries:
        page = selectors.thread_page(post, user=voter, per_page=per_page)
        for top in page.comments:  # touch everything a template shows
            _ = (top.author.public_name, top.my_vote, top.linked_nicknames, top.is_hidden)
            for child in top.children:
                _ = (child.author.public_name, [c.author.public_name for c in child.children])
    assert len(page.comments) == per_page and page.has_next
    assert page.comments[0].my_vote == 1 and voter.nickname.lower() in page.comments[0].linked_nicknames
    assert page.comments[0].children[0].children[0].body == "reply 0.2"
    assert len(queries) <= 6, [q["sql"] for q in queries.captured_queries]


def test_page_render_queries_are_fixed(client, post, participant, member, django_assert_max_num_queries):
    voter = member()
    _make_threads(post, participant, voter, roots=5)
    client.force_login(voter)
    with CaptureQueriesContext(connection) as small:
        client.get(post.get_absolute_url())
    Comment.objects.all().delete()
    _make_threads(post, participant, voter, roots=40)
    with django_assert_max_num_queries(len(small)):
        response = client.get(post.get_absolute_url())
    from agora.comments.templatetags.comments import PER_PAGE

    assert response.content.decode().count('class="comment"') >= PER_PAGE * 3


def test_pages_and_orders(post, participant, member):
    voter = member()
    _make_threads(post, participant, voter, roots=45, replies=0)
    best = Comment.objects.get(body__startswith="top 30 ")
    Comment.objects.filter(pk=best.pk).update(up_count=10)
    page3 = selectors.thread_page(post, page=3, per_page=20)
    assert [c.body.split()[1] for c in page3.comments] == ["40", "41", "42", "43", "44"]
    assert not page3.has_next and page3.has_previous and page3.total == 45
    assert selectors.thread_page(post, order="recent").comments[0].body.startswith("top 44 ")
    assert selectors.thread_page(post, order="best").comments[0].pk == best.pk
    assert selectors.thread_page(post, page="nonsense").number == 1
    assert selectors.thread_page(post, order="nonsense").order == "oldest"
