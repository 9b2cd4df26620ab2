import pytest

from agora.components.news.tests.factories import PostFactory
from agora.core.translations import tr
from agora.testing import factories


@pytest.fixture
def news(process):
    return factories.ComponentFactory(space=process, manifest_name="news", name=tr("Actualités", "News"))


@pytest.fixture
def post(news):
    return PostFactory(component=news, title=tr("Nouveau parc", "New park"))


@pytest.fixture
def member(organization):
    def make(**kwargs):
        user = factories.UserFactory(**kwargs)
        factories.member_of(user, organization)
        return user

    return make


@pytest.fixture(autouse=True)
def _no_posting_limit(settings):
    settings.AGORA_POSTING_LIMITS = {"comment": []}
