import pytest

from agora.spaces.models import Role
from agora.testing import factories

from .factories import staff


@pytest.fixture
def space_admin(process):
    return staff(process.organization, Role.Name.SPACE_ADMIN, process)


@pytest.fixture
def collaborator(process):
    return staff(process.organization, Role.Name.COLLABORATOR, process)


@pytest.fixture
def other_org_admin(organization, other_organization):
    """Admin of organization B who is also a plain participant of A."""
    factories.TermsVersionFactory(organization=other_organization, version=1)
    return staff(other_organization, member_of=[organization, other_organization])


@pytest.fixture
def admin_client(client, org_admin):
    client.force_login(org_admin)
    return client
