from agora.comments.demo import seed_demo
from agora.comments.models import Comment


def test_seed_demo_comments_on_news_posts(organization, post, member, org_admin):
    for _ in range(3):
        member()
    made = seed_demo(organization)
    assert made == Comment.objects.count() > 0
    assert Comment.objects.filter(official=True).exists()
    assert seed_demo(organization) == 0  # idempotent
