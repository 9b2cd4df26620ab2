import pytest
from django.utils import timezone

from agora.accounts.models import Membership
from agora.core.translations import tr
from agora.newsletters.models import Block, Newsletter
from agora.spaces.models import Role
from agora.testing import factories


def opted_in(user, organization):
    """A participant of `organization` who accepted its newsletter."""
    factories.member_of(user, organization)
    Membership.objects.filter(user=user, organization=organization).update(newsletter_consent_at=timezone.now())
    return user


@pytest.fixture
def person(organization):
    """Make a participant: person(opted=True, **user fields)."""

    def make(opted=True, **fields):
        user = factories.UserFactory(**fields)
        if opted:
            return opted_in(user, organization)
        factories.member_of(user, organization)
        return user

    return make


@pytest.fixture
def admin(org_admin):
    return org_admin


@pytest.fixture
def space_admin(organization, process):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    Role.objects.create(user=user, organization=organization, space=process, name=Role.Name.SPACE_ADMIN)
    return user


@pytest.fixture
def draft(organization, admin):
    newsletter = Newsletter.objects.create(
        organization=organization, subject=tr("Les nouvelles de juin", "June news"), created_by=admin
    )
    Block.objects.create(
        newsletter=newsletter,
        kind=Block.Kind.TEXT,
        position=1,
        text=tr("<p>Bonjour à toutes et à tous.</p>", "<p>Hello everyone.</p>"),
    )
    Block.objects.create(
        newsletter=newsletter,
        kind=Block.Kind.BUTTON,
        position=2,
        text=tr("Votez", "Vote"),
        url="/processes/budget/",
    )
    return newsletter
