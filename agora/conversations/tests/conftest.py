import pytest

from agora.testing import factories


@pytest.fixture(autouse=True)
def no_posting_limits(settings):
    settings.AGORA_POSTING_LIMITS = {"message": [], "conversation": []}


def person(organization, **kwargs):
    user = factories.UserFactory(**kwargs)
    factories.member_of(user, organization)
    return user


@pytest.fixture
def alice(organization):
    return person(organization, nickname="alice")


@pytest.fixture
def bob(organization):
    return person(organization, nickname="bob")


@pytest.fixture
def carol(organization):
    return person(organization, nickname="carol")
