import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agora.accounts.models import Membership
from agora.actionlog.models import ActionLog
from agora.comments import selectors, services
from agora.comments.models import Comment, CommentVote
from agora.follows.selectors import is_following
from agora.follows.services import follow
from agora.notifications.models import Notification
from agora.permissions import PermissionDenied, can
from agora.spaces.models import Role
from agora.testing import factories


def test_threads_go_three_levels_deep(participant, post, member):
    other = member()
    top = services.create_comment(actor=participant, target=post, body="Top")
    reply = services.create_comment(actor=other, target=post, body="Reply", parent=top)
    deeper = services.create_comment(actor=participant, target=post, body="Deeper", parent=reply)
    assert (top.depth, reply.depth, deeper.depth) == (0, 1, 2)
    top.refresh_from_db()
    assert top.root_id == top.pk and reply.root_id == top.pk and deeper.root_id == top.pk
    with pytest.raises(ValidationError):
        services.create_comment(actor=other, target=post, body="Too deep", parent=deeper)
    assert Comment.objects.count() == 3
    assert ActionLog.objects.filter(verb="comments.created", visibility="public").count() == 3


def test_a_reply_must_belong_to_the_same_resource(participant, post, news):
    from agora.components.news.tests.factories import PostFactory

    elsewhere = services.create_comment(actor=participant, target=PostFactory(component=news), body="x")
    with pytest.raises(ValidationError):
        services.create_comment(actor=participant, target=post, body="y", parent=elsewhere)


def test_author_follows_what_they_comment(participant, post):
    services.create_comment(actor=participant, target=post, body="Hello")
    assert is_following(participant, post)


def test_body_is_required_and_limited(participant, post, news):
    with pytest.raises(ValidationError):
        services.create_comment(actor=participant, target=post, body="   ")
    news.settings = {"comments_max_length": 100}
    news.save()
    post.component = news
    with pytest.raises(ValidationError) as error:
        services.create_comment(actor=participant, target=post, body="x" * 101)
    assert "100" in str(error.value)
    services.create_comment(actor=participant, target=post, body="x" * 100)


def test_alignment_only_where_enabled(participant, post, news):
    comment = services.create_comment(actor=participant, target=post, body="a", alignment=1)
    assert comment.alignment is None
    news.settings = {"comments_alignment": True}
    news.save()
    post.component.refresh_from_db()
    assert services.create_comment(actor=participant, target=post, body="b", alignment=-1).alignment == -1
    with pytest.raises(ValidationError):
        services.create_comment(actor=participant, target=post, body="c", alignment=5)


def test_official_answer_by_staff_only(participant, post, process, member):
    staff = member()
    Role.objects.create(user=staff, organization=process.organization, space=process, name="collaborator")
    assert services.create_comment(actor=staff, target=post, body="Réponse", official=True).official
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=participant, target=post, body="Fake", official=True)


@pytest.mark.django_db
def test_commenting_refused_to_anonymous_unverified_and_blocked(organization, post, member):
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=AnonymousUser(), target=post, body="x")
    unverified = member(verified=False)
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=unverified, target=post, body="x")
    blocked = member()
    Membership.objects.filter(user=blocked).update(blocked_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=blocked, target=post, body="x")
    not_accepted = factories.UserFactory()
    factories.member_of(not_accepted, organization, accepted=False)
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=not_accepted, target=post, body="x")
    assert not Comment.objects.exists()


def test_commenting_refused_when_disabled_or_blocked_in_the_phase(participant, post, news, process):
    phase = factories.PhaseFactory(space=process, is_active=True)
    news.phase_settings = {str(phase.pk): {"comments_blocked": True}}
    news.save()
    decision = can(participant, "comments.create", post)
    assert not decision and "phase" in decision.reason.lower()
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=participant, target=post, body="x")
    news.phase_settings = {}
    news.settings = {"comments_enabled": False}
    news.save()
    post.component.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=participant, target=post, body="x")


def test_commenting_refused_on_unpublished_posts_and_private_spaces(participant, organization):
    from agora.components.news.tests.factories import PostFactory

    draft = PostFactory(component__space__organization=organization, published_at=None)
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=participant, target=draft, body="x")
    private = factories.SpaceFactory(organization=organization, private=True)
    hidden_post = PostFactory(component__space=private)
    with pytest.raises(PermissionDenied):
        services.create_comment(actor=participant, target=hidden_post, body="x")


def test_edit_shows_as_edited_and_only_by_the_author(participant, post, member):
    comment = services.create_comment(actor=participant, target=post, body="Frist")
    services.update_comment(actor=participant, comment=comment, body="First")
    comment.refresh_from_db()
    assert comment.body == "First" and comment.is_edited
    for intruder in (member(), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.update_comment(actor=intruder, comment=comment, body="Hacked")
    Membership.objects.filter(user=participant).update(blocked_at=timezone.now())
    blocked = type(participant).objects.get(pk=participant.pk)  # statuses are memoised per request
    with pytest.raises(PermissionDenied):
        services.update_comment(actor=blocked, comment=comment, body="Again")
    comment.refresh_from_db()
    assert comment.body == "First"


def test_delete_keeps_the_thread_and_only_by_the_author(participant, post, member):
    other = member()
    comment = services.create_comment(actor=participant, target=post, body="Secret")
    reply = services.create_comment(actor=other, target=post, body="Answer", parent=comment)
    for intruder in (other, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.delete_comment(actor=intruder, comment=comment)
    services.delete_comment(actor=participant, comment=comment)
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == ""
    page = selectors.thread_page(post)
    assert page.comments[0].pk == comment.pk and page.comments[0].children[0].pk == reply.pk
    with pytest.raises(PermissionDenied):
        services.delete_comment(actor=participant, comment=comment)  # already deleted
    with pytest.raises(ValidationError):
        services.create_comment(actor=other, target=post, body="x", parent=comment)


def test_votes_one_per_person_changeable_not_on_own(participant, post, member):
    voter = member()
    comment = services.create_comment(actor=participant, target=post, body="Vote")
    services.vote(actor=voter, comment=comment, value=1)
    services.vote(actor=voter, comment=comment, value=1)
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (1, 0)
    services.vote(actor=voter, comment=comment, value=-1)
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (0, 1)
    services.vote(actor=voter, comment=comment, value=0)
    comment.refresh_from_db()
    assert (comment.up_count, comment.down_count) == (0, 0) and not CommentVote.objects.exists()
    with pytest.raises(PermissionDenied):
        services.vote(actor=participant, comment=comment, value=1)
    with pytest.raises(PermissionDenied):
        services.vote(actor=AnonymousUser(), comment=comment, value=1)
    with pytest.raises(ValidationError):
        services.vote(actor=voter, comment=comment, value=2)
    CommentVote.objects.create(comment=comment, user=voter, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentVote.objects.create(comment=comment, user=voter, value=-1)


def test_vote_refused_when_comments_blocked_in_phase(participant, post, news, process, member):
    voter = member()
    comment = services.create_comment(actor=participant, target=post, body="Vote")
    phase = factories.PhaseFactory(space=process, is_active=True)
    news.phase_settings = {str(phase.pk): {"comments_blocked": True}}
    news.save()
    comment = Comment.objects.get(pk=comment.pk)
    with pytest.raises(PermissionDenied):
        services.vote(actor=voter, comment=comment, value=1)


def test_notifications_reply_mention_and_followers_each_once(participant, post, member, organization):
    replier, mentioned, fan = member(nickname="replier"), member(nickname="Marie_D"), member()
    follow(user=fan, target=post)
    top = services.create_comment(actor=participant, target=post, body="First")
    Notification.objects.all().delete()
    services.create_comment(actor=replier, target=post, parent=top, body="@participant_x @marie_d and @replier look")
    events = {(n.recipient_id, n.event) for n in Notification.objects.all()}
    assert (participant.pk, "comments.reply") in events
    assert (mentioned.pk, "comments.mention") in events
    assert (fan.pk, "comments.new_comment") in events
    assert all(recipient != replier.pk for recipient, _event in events)
    assert len(events) == len(Notification.objects.all()) == 3
    assert Notification.objects.get(recipient=fan).url.endswith(f"#comment-{Comment.objects.last().pk}")


def test_mentions_on_edit_notify_only_new_people(participant, post, member):
    first, second = member(nickname="first_one"), member(nickname="second_one")
    comment = services.create_comment(actor=participant, target=post, body="hi @first_one")
    services.update_comment(actor=participant, comment=comment, body="hi @first_one and @second_one")
    mentions = list(Notification.objects.filter(event="comments.mention").values_list("recipient_id", flat=True))
    assert sorted(mentions) == sorted([first.pk, second.pk])


def test_mentions_ignore_people_outside_the_organization(participant, post, other_organization):
    stranger = factories.UserFactory(nickname="stranger")
    factories.member_of(stranger, other_organization)
    comment = services.create_comment(actor=participant, target=post, body="hi @stranger")
    assert not comment.mentioned.exists()
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_posting_rate_limit(settings, participant, post):
    settings.AGORA_POSTING_LIMITS = {"comment": [(2, 60)]}
    services.create_comment(actor=participant, target=post, body="1")
    services.create_comment(actor=participant, target=post, body="2")
    with pytest.raises(ValidationError) as error:
        services.create_comment(actor=participant, target=post, body="3")
    assert error.value.code == "posting_limit"
    assert Comment.objects.count() == 2


def test_comment_counts_for_many_objects_in_one_query(participant, post, news, django_assert_num_queries):
    from agora.components.news.models import Post
    from agora.components.news.tests.factories import PostFactory

    quiet = PostFactory(component=news)
    for text in ("a", "b"):
        services.create_comment(actor=participant, target=post, body=text)
    gone = services.create_comment(actor=participant, target=post, body="c")
    services.delete_comment(actor=participant, comment=gone)
    with django_assert_num_queries(1):
        assert selectors.comment_counts(Post, [post.pk, quiet.pk]) == {post.pk: 2}
    ordered = list(
        selectors.with_comment_count(Post.objects.filter(pk__in=[post.pk, quiet.pk])).order_by("-comment_count")
    )
    assert [(p.pk, p.comment_count) for p in ordered] == [(post.pk, 2), (quiet.pk, 0)]
