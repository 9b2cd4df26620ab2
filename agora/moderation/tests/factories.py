"""Test helpers of moderation: news posts as reportable content."""

import itertools

from django.contrib.contenttypes.models import ContentType

from agora.components.news.models import Post
from agora.components.news.tests.factories import PostFactory
from agora.core.translations import translated
from agora.moderation.models import Moderation
from agora.moderation.registry import ReportableAdapter
from agora.permissions import can
from agora.testing import factories


class PostAdapter(ReportableAdapter):
    """News posts made reportable for the tests (the project does not report
    official news; comments and ideas register themselves)."""

    label = "news post"

    def organization(self, obj):
        return obj.component.space.organization

    def space(self, obj):
        return obj.component.space

    def author(self, obj):
        return obj.author

    def excerpt(self, obj):
        return translated(obj.title)

    def url(self, obj):
        return obj.get_absolute_url()

    def can_view(self, user, obj):
        return bool(can(user, "component.view", obj.component)) and obj.is_published


_titles = itertools.count(1)


def post_in(space, *, author=None, title=None):
    title = title or f"Une actualité {next(_titles)}"
    component = factories.ComponentFactory(space=space, manifest_name="news")
    if author is None:
        author = factories.UserFactory()
        factories.member_of(author, space.organization)
    return PostFactory(component=component, author=author, official=False, title={"fr": title, "en": title})


def moderated_item(space, *, author=None, pending=1, hidden=False) -> Moderation:
    """A moderation row for a news post of `space` (the registry is not needed)."""
    from django.utils import timezone

    post = post_in(space, author=author)
    return Moderation.objects.create(
        organization=space.organization,
        space=space,
        content_type=ContentType.objects.get_for_model(Post),
        object_id=post.pk,
        author=post.author,
        excerpt=translated(post.title),
        url=post.get_absolute_url(),
        report_count=pending,
        pending_count=0 if hidden else pending,
        hidden_at=timezone.now() if hidden else None,
        hidden_by=Moderation.HiddenBy.MODERATOR if hidden else "",
    )
