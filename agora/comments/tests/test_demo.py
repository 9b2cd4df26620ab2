from agora.comments.demo import seed_discussion
from agora.comments.models import Comment
from agora.components.registry import registry
from agora.testing import factories


def test_seed_discussion_comments_a_resource(organization, post, member, org_admin):
    for _ in range(3):
        member()
    made = seed_discussion(post)
    assert made == Comment.objects.filter(object_id=post.pk).count() > 0
    assert Comment.objects.filter(official=True).exists()
    assert seed_discussion(post) == 0  # idempotent


def test_seed_discussion_needs_two_participants(organization, post, member):
    member()
    assert seed_discussion(post) == 0
    assert not Comment.objects.exists()


def test_the_news_seed_discusses_its_latest_post(organization, member, org_admin):
    for _ in range(3):
        member()
    component = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=organization), manifest_name="news"
    )
    registry["news"].hook(registry["news"].seed)(component)
    latest = component.posts.order_by("-published_at").first()
    assert Comment.objects.filter(object_id=latest.pk, component=component).count() > 0
    assert Comment.objects.filter(component=component).exclude(object_id=latest.pk).count() == 0
