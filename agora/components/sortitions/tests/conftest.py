import pytest

from agora.components.sortitions import services
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(
        space=process, manifest_name="sortitions", name=tr("Tirages au sort", "Sortitions")
    )


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


@pytest.fixture
def source(component):
    from agora.components.proposals.models import Proposal

    ideas = factories.ComponentFactory(space=component.space, manifest_name="proposals", name=tr("Idées", "Ideas"))
    for i in range(6):
        Proposal.objects.create(
            component=ideas, official=True, title=f"Idée numéro {i}", body="…", status=Proposal.Status.PUBLISHED
        )
    return ideas


@pytest.fixture
def drawing(component, space_admin, source):
    return services.create_idea_draw(
        actor=space_admin, component=component, title="Ordre des visites", source=source, count=3
    )


@pytest.fixture
def moderator(component, organization):
    user = factories.RoleFactory(space=component.space, name=Role.Name.MODERATOR).user
    factories.member_of(user, organization)
    return user


POOL_CSV = "id,household,name,contact,gender,age\n" + "".join(
    f"P{i:03d},h{i if i % 5 else i - 1},Person {i},p{i}@example.org,{'f' if i % 2 else 'm'},{'young' if i % 3 == 0 else 'old'}\n"
    for i in range(1, 41)
)
QUOTAS = "feature,value,min,max\ngender,f,3,5\ngender,m,3,5\nage,young,2,4\nage,old,4,6\n"
