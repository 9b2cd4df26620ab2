from datetime import timedelta

import pytest
from django.utils import timezone

from agora.components.meetings.models import Meeting
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="meetings", name=tr("Réunions", "Meetings"))


def make_meeting(component, **fields):
    starts_at = fields.pop("starts_at", timezone.now() + timedelta(days=7))
    values = {
        "title": tr("Réunion publique des Prés", "Les Prés public meeting"),
        "description": tr("<p>Ordre du jour à venir.</p>"),
        "address": "2 rue des Prés, Belleville",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "registration_type": Meeting.Registration.AGORA,
        "places": 10,
        "published_at": timezone.now(),
        **fields,
    }
    return Meeting.objects.create(component=component, **values)


@pytest.fixture
def meeting(component):
    return make_meeting(component)


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


def person(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    return user
