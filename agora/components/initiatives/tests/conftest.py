from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from agora.components.initiatives import services
from agora.components.initiatives.models import Initiative, InitiativeType, Tier
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.testing import factories
from agora.verifications.models import Verification


@pytest.fixture(autouse=True)
def _english():
    # The reasons are matched in English (the organization's default language is French).
    with translation.override("en"):
        yield


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="initiatives", name=tr("Initiatives"))


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


@pytest.fixture
def kind(component):
    item = InitiativeType.objects.create(
        component=component,
        title=tr("Interpellation"),
        committee_minimum=1,
        withdrawal_allowed=True,
        population=40000,
        sign_rule={"min_age": 16},
    )
    Tier.objects.create(type=item, position=1, threshold=3, window_days=30, kind=Tier.Kind.MEDIATION, response_days=60)
    Tier.objects.create(type=item, position=2, threshold=5, window_days=90, kind=Tier.Kind.WORKSHOP)
    return item


def person(organization, *, born=date(1990, 1, 1)):
    """A participant verified (census) with a date of birth."""
    user = factories.UserFactory()
    factories.member_of(user, organization)
    Verification.objects.create(
        organization=organization,
        user=user,
        method="census",
        status=Verification.Status.ACTIVE,
        birth_date=born,
        postal_code="38000",
        decided_at=timezone.now(),
    )
    return user


@pytest.fixture
def collecting(component, kind, participant, org_admin):
    """An initiative published now, collecting toward 3 then 5 signatures."""
    initiative = Initiative.objects.create(
        component=component,
        type=kind,
        title="Ouvrir les cours d'école",
        body="<p>Le week-end.</p>",
        author=participant,
        state=Initiative.State.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=1),
    )
    return services.decide_admissibility(actor=org_admin, initiative=initiative, admissible=True)
