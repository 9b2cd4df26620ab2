import pytest
from django.utils import translation

from agora.components.debates.models import Debate
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture(autouse=True)
def _no_language_left_active():
    # A page asked in English leaves English active in the test's thread: the
    # services called next (which write in the language of the page) would
    # write English in the following tests.
    yield
    translation.deactivate()


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="debates", name=tr("Débats", "Debates"))


@pytest.fixture
def open_to_participants(component):
    component.settings = {"participant_debates": True}
    component.save()
    return component


@pytest.fixture
def debate(component, org_admin):
    return Debate.objects.create(
        component=component,
        title=tr("Faut-il une rue piétonne ?", "A pedestrian street?"),
        description=tr("<p>Le samedi.</p>"),
        official=True,
        author=org_admin,
    )


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


@pytest.fixture
def moderator(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.MODERATOR).user
    factories.member_of(user, component.space.organization)
    return user


def other_participant(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    return user
