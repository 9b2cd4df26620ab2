"""The staff roles as the accounts app asks them (agora.accounts.staff),
registered in SpacesConfig.ready."""

from django.db.models import OuterRef

from agora.accounts.staff import StaffRoles
from agora.spaces.models import Role


def _held_in(organization):
    return Role.objects.filter(user=OuterRef("pk"), organization=organization)


def _grant(organization, user, name) -> bool:
    _role, created = Role.objects.get_or_create(organization=organization, user=user, name=name, space=None)
    return created


def _organizations_of(user) -> set[int]:
    return set(Role.objects.filter(user=user).values_list("organization_id", flat=True))


STAFF_ROLES = StaffRoles(held_in=_held_in, grant=_grant, organizations_of=_organizations_of)
