import pytest

from agora.testing import factories

from .factories import IdeasComponentFactory, evaluator_of, space_admin_of


@pytest.fixture
def component(process):
    return IdeasComponentFactory(space=process)


@pytest.fixture
def admin(process):
    return space_admin_of(process)


@pytest.fixture
def evaluator(process):
    return evaluator_of(process)


@pytest.fixture
def outsider_evaluator(organization):
    """An evaluator of another space of the same organization."""
    return evaluator_of(factories.SpaceFactory(organization=organization))
