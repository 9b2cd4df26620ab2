import pytest

from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def component(process):
    component = factories.ComponentFactory(space=process, manifest_name="budgets", name={"fr": "Budget"}, settings={})
    phase = factories.PhaseFactory(space=process, is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    component.save()
    return component


def close_votes(component):
    phase = component.space.phases.get(is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": False}}
    component.save()


@pytest.fixture
def budget(component):
    return BudgetFactory(component=component, envelope=100_000, min_projects=1, max_projects=3)


@pytest.fixture
def projects(budget):
    costs = [50_000, 30_000, 20_000, 10_000, 60_000]
    return [ProjectFactory(budget=budget, cost=cost) for cost in costs]


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


@pytest.fixture
def voters(organization):
    def make(n):
        people = []
        for _ in range(n):
            user = factories.UserFactory()
            factories.member_of(user, organization)
            people.append(user)
        return people

    return make
