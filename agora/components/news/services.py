"""Every write of the news component: permission, transaction, action log."""

from datetime import datetime
from typing import Literal

from django.core.files import File
from django.db import transaction

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import trace
from agora.components.models import Component
from agora.components.news.models import Post
from agora.core import images
from agora.core.sanitize import clean_translated_html
from agora.permissions import require


def _log_publication(actor: User, post: Post, was_published: bool) -> None:
    """A post that becomes visible now shows in the public activity; a
    scheduled one is only noted for the staff (it is not public yet)."""
    if post.is_published and not was_published:
        trace(actor, "news.post_published", post, component=post.component, visibility=ActionLog.Visibility.PUBLIC)
    elif post.is_scheduled:
        trace(actor, "news.post_scheduled", post, component=post.component)


def insert_post(
    *,
    component: Component,
    author: User | None,
    title: dict,
    body: dict,
    official: bool = True,
    image: File | None = None,
    image_alt: dict | None = None,
    published_at: datetime | None = None,
) -> Post:
    """The write itself, without permission or log: for create_post and the
    demo seed (which runs with no person)."""
    images.check_picture(image, image_alt)
    post = Post(
        component=component,
        author=author,
        title=title,
        body=clean_translated_html(body),
        official=official,
        image_alt=image_alt or {},
        published_at=published_at,
    )
    if image:
        # Upright and without its metadata (agora.core.images); copies made once it is stored.
        post.image = images.clean_image(image)
    post.save()
    _make_variants(post, image)
    return post


def _make_variants(post: Post, image: File | Literal[False] | None) -> None:
    if image:
        post.image_variants = images.make_variants(post.image.storage, post.image.name)
        post.save(update_fields=["image_variants"])


@transaction.atomic
def create_post(
    *,
    actor: User,
    component: Component,
    title: dict,
    body: dict,
    official: bool = True,
    image: File | None = None,
    image_alt: dict | None = None,
    published_at: datetime | None = None,
) -> Post:
    require(actor, "component.manage", component)
    post = insert_post(
        component=component,
        author=actor,
        title=title,
        body=body,
        official=official,
        image=image,
        image_alt=image_alt,
        published_at=published_at,
    )
    trace(actor, "news.post_created", post, component=post.component)
    _log_publication(actor, post, was_published=False)
    return post


@transaction.atomic
def update_post(
    *,
    actor: User,
    post: Post,
    title: dict,
    body: dict,
    official: bool,
    image_alt: dict,
    published_at: datetime | None,
    image: File | Literal[False] | None = None,
) -> Post:
    """`image`: None keeps the current image, False removes it, a file replaces it."""
    require(actor, "component.manage", post.component)
    # Read the stored state: a bound ModelForm may already have changed `post`.
    stored = Post.objects.select_for_update().get(pk=post.pk)
    was_published = stored.is_published
    images.check_picture(image if image is not None else stored.image, image_alt)
    if image is not None:
        if stored.image:
            images.delete_image_after_commit(stored.image.storage, stored.image.name, stored.image_variants)
        post.image = images.clean_image(image) if image else ""
        post.image_variants = {}
    else:
        post.image, post.image_variants = stored.image.name, stored.image_variants
    post.title = title
    post.body = clean_translated_html(body)
    post.official = official
    post.image_alt = image_alt or {}
    post.published_at = published_at
    post.save()
    _make_variants(post, image)
    trace(actor, "news.post_updated", post, component=post.component)
    _log_publication(actor, post, was_published)
    return post


@transaction.atomic
def delete_post(*, actor: User, post: Post) -> None:
    require(actor, "component.manage", post.component)
    trace(actor, "news.post_deleted", post, component=post.component)
    images.delete_image_after_commit(post.image.storage, post.image.name, post.image_variants)
    post.delete()
