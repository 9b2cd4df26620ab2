from datetime import date

import pytest

from agora.desk import services
from agora.testing import factories


@pytest.fixture
def agent(organization, org_admin):
    """A desk agent of the organization."""
    user = factories.UserFactory()
    factories.member_of(user, organization)
    services.grant_agent(actor=org_admin, organization=organization, user=user)
    return user


@pytest.fixture
def odette(organization, agent):
    """A person without e-mail, registered at the desk by the agent."""
    return services.create_managed_participant(
        actor=agent,
        organization=organization,
        public_name="Odette L.",
        last_name="Lefèvre",
        first_name="Odette",
        birth_date=date(1950, 3, 12),
        postal_code="45100",
        accepted_terms=True,
    ).user


@pytest.fixture
def managed(organization, agent):
    """The desk record of a person registered by the agent (test_desk's Odette)."""
    return services.create_managed_participant(
        actor=agent,
        organization=organization,
        public_name="Odette L.",
        last_name="Lefèvre",
        first_name="Odette",
        birth_date=date(1941, 4, 2),
        postal_code="45400",
        accepted_terms=True,
    )
