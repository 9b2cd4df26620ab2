import pytest

from agora.components.news.models import Post
from agora.moderation import registry
from agora.spaces.models import Role
from agora.testing import factories

from .factories import PostAdapter, post_in


@pytest.fixture(autouse=True)
def reportable_posts():
    registry.register(Post, PostAdapter())
    yield
    registry.unregister(Post)


@pytest.fixture(autouse=True)
def no_posting_limits(settings):
    settings.AGORA_POSTING_LIMITS = {"report": []}


@pytest.fixture
def post(process):
    return post_in(process)


def make_participant(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    return user


@pytest.fixture
def moderator(process):
    user = make_participant(process.organization)
    Role.objects.create(user=user, organization=process.organization, space=process, name=Role.Name.MODERATOR)
    return user
