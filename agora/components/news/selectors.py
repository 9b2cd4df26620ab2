"""Reads of the news component."""

import json

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from agora import permissions
from agora.accounts.models import User
from agora.components.models import Component
from agora.components.news.models import Post
from agora.core.models import Organization
from agora.spaces.models import Space


def posts_for(component: Component, user: User | AnonymousUser) -> QuerySet[Post]:
    """The posts a person sees: published ones, and drafts and scheduled
    posts too for the space's staff (read-only preview)."""
    posts = Post.objects.filter(component=component).select_related("author")
    if not permissions.can(user, "space.preview", component.space):
        posts = posts.published().order_by("-published_at", "-id")
    return posts


def post_for(component: Component, user: User | AnonymousUser, post_id: int) -> Post | None:
    post = posts_for(component, user).filter(pk=post_id).first()
    if post is not None:
        post.component = component
    return post


def admin_posts(component: Component) -> QuerySet[Post]:
    return Post.objects.filter(component=component).select_related("author")


def latest_public_posts(organization: Organization, limit: int = 3) -> list[Post]:
    """The latest published posts of published news components in the
    published spaces that anyone can read, for the home page: a post
    published in several spaces (same title) once, and the latest post of
    each space before a second one of the same space, so one busy space or
    one announcement copied everywhere does not fill the block. One query."""
    now = timezone.now()
    candidates = (
        Post.objects.published()
        .filter(
            component__manifest_name="news",
            component__published_at__lte=now,
            component__space__in=Space.objects.filter(organization=organization).readable_by_anyone(),
        )
        .select_related("component__space", "author")
        .order_by("-published_at", "-id")[: limit * 10]
    )
    # The same announcement copied into several spaces is one news item.
    unique, titles = [], set()
    for post in candidates:
        title = json.dumps(post.title, sort_keys=True)
        if title not in titles:
            titles.add(title)
            unique.append(post)
    # The latest of each space first; the remaining places go to the next latest.
    firsts, spaces = [], set()
    for post in unique:
        if post.component.space_id not in spaces:
            spaces.add(post.component.space_id)
            firsts.append(post)
    chosen = firsts[:limit]
    chosen += [post for post in unique if post not in chosen][: limit - len(chosen)]
    return sorted(chosen, key=lambda post: (post.published_at, post.pk), reverse=True)


def public_posts(component: Component) -> list[Post]:
    """Published posts, only when the component itself is public: for
    exports and search, which do not know who is asking."""
    if not component.is_public:
        return []
    posts = list(
        Post.objects.published().filter(component=component).select_related("author").order_by("-published_at", "-id")
    )
    for post in posts:
        post.component = component
    return posts
