import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from agora.accounts.models import Membership
from agora.core.models import TermsVersion
from agora.permissions import PermissionDenied, can, require
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def space_admin(process):
    return factories.RoleFactory(space=process, name=Role.Name.SPACE_ADMIN).user


def test_unknown_action_is_a_programming_error(organization):
    with pytest.raises(KeyError):
        can(AnonymousUser(), "no.such.action", organization)


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("anonymous", False),
        ("participant", False),
        ("space_admin", True),
        ("other_space_admin", False),
        ("org_admin", True),
        ("other_org_admin", False),
        ("platform_admin", True),
    ],
)
def test_space_manage_matrix(
    who, allowed, organization, other_organization, process, participant, org_admin, space_admin
):
    people = {
        "anonymous": AnonymousUser(),
        "participant": participant,
        "space_admin": space_admin,
        "other_space_admin": factories.RoleFactory(space=factories.SpaceFactory(organization=organization)).user,
        "org_admin": org_admin,
        "other_org_admin": Role.objects.create(
            user=factories.UserFactory(), organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN
        ).user,
        "platform_admin": factories.UserFactory(is_superuser=True),
    }
    decision = can(people[who], "space.manage", process)
    assert bool(decision) is allowed
    if not allowed:
        assert decision.reason


def test_backoffice_access_needs_a_role_in_this_organization(organization, other_organization, participant):
    assert not can(participant, "backoffice.access", organization)
    Role.objects.create(user=participant, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
    assert not can(participant, "backoffice.access", organization)
    fresh = type(participant).objects.get(pk=participant.pk)  # roles are memoised per user object
    moderator_space = factories.SpaceFactory(organization=organization)
    Role.objects.create(user=fresh, organization=organization, space=moderator_space, name=Role.Name.MODERATOR)
    assert can(fresh, "backoffice.access", organization)
    assert not can(fresh, "organization.manage", organization)


@translation.override("en")
def test_participate_reasons_in_order(organization):
    anonymous = can(AnonymousUser(), "participate", organization)
    assert not anonymous and anonymous.fix_url.startswith("/accounts/login")

    unverified = factories.UserFactory(verified=False)
    factories.member_of(unverified, organization)
    assert "e-mail" in can(unverified, "participate", organization).reason

    newcomer = factories.UserFactory()  # verified, but never accepted this organization's terms
    decision = can(newcomer, "participate", organization)
    assert not decision and decision.fix_url == "/terms/"

    member = factories.UserFactory()
    factories.member_of(member, organization)
    assert can(member, "participate", organization)

    TermsVersion.objects.create(organization=organization, version=2, body={"fr": "v2"})
    member = type(member).objects.get(pk=member.pk)
    assert not can(member, "participate", organization)

    Membership.objects.filter(user=member).update(accepted_terms_version=2, blocked_at=timezone.now())
    member = type(member).objects.get(pk=member.pk)
    assert "blocked" in can(member, "participate", organization).reason


def test_require_raises_with_the_decision(organization, participant):
    with pytest.raises(PermissionDenied) as error:
        require(participant, "organization.manage", organization)
    assert error.value.decision.reason


def test_draft_component_visible_to_space_staff_only(organization, process, participant):
    component = factories.ComponentFactory(space=process, published_at=None)
    assert not can(participant, "component.view", component)
    collaborator = factories.RoleFactory(space=process, name=Role.Name.COLLABORATOR).user
    assert can(collaborator, "component.view", component)
    assert not can(collaborator, "component.manage", component)
