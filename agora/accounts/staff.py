"""The staff roles of an organization, as accounts need them.

Roles live in the spaces app (a role may be held in one space), which sits
beside accounts on the same layer and builds on them (person fields, the
erasure of an account). So accounts never import spaces: they ask here, and
the spaces app registers the answers when it loads (`register`, in
SpacesConfig.ready: agora.spaces.staff)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StaffRoles:
    # (organization) -> the roles held in the organization by the person OuterRef("pk"),
    # a queryset for Exists() in a query of accounts.
    held_in: Callable
    # (organization, user, name) -> True when the organization-wide role is new.
    grant: Callable
    # (user) -> ids of the organizations where the person holds a role.
    organizations_of: Callable


_registered: list[StaffRoles] = []


def register(roles: StaffRoles) -> StaffRoles:
    _registered[:] = [roles]
    return roles


def roles() -> StaffRoles:
    if not _registered:
        raise LookupError("No staff roles registered: the spaces app registers them when it loads")
    return _registered[0]
