"""Reads of the news component."""

from django.utils import timezone

from agora import permissions
from agora.components.news.models import Post
from agora.spaces.models import Space


def posts_for(component, user):
    """The posts a person sees: published ones, and drafts and scheduled
    posts too for the space's staff (read-only preview)."""
    posts = Post.objects.filter(component=component).select_related("author")
    if not permissions.can(user, "space.preview", component.space):
        posts = posts.published().order_by("-published_at", "-id")
    return posts


def post_for(component, user, post_id) -> Post | None:
    post = posts_for(component, user).filter(pk=post_id).first()
    if post is not None:
        post.component = component
    return post


def admin_posts(component):
    return Post.objects.filter(component=component).select_related("author")


def latest_public_posts(organization, limit: int = 3):
    """The latest published posts of published news components in the
    published spaces that anyone can read, for the home page. One query."""
    now = timezone.now()
    return list(
        Post.objects.published()
        .filter(
            component__manifest_name="news",
            component__published_at__lte=now,
            component__space__in=Space.objects.filter(organization=organization).readable_by_anyone(),
        )
        .select_related("component__space", "author")
        .order_by("-published_at", "-id")[:limit]
    )


def public_posts(component):
    """Published posts, only when the component itself is public: for
    exports and search, which do not know who is asking."""
    if not component.is_public:
        return []
    posts = list(Post.objects.published().filter(component=component).select_related("author").order_by("-published_at", "-id"))
    for post in posts:
        post.component = component
    return posts
