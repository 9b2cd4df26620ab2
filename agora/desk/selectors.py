from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from agora import permissions, visitor
from agora.accounts.models import User
from agora.core.models import Organization
from agora.desk.models import DeskAgent, ManagedParticipant


def is_desk_agent(user: User | AnonymousUser, organization: Organization) -> bool:
    if permissions.is_organization_admin(user, organization):
        return True
    if not (user.is_authenticated and user.is_active) or permissions.second_factor_missing(user, organization):
        return False  # desk agents are staff: their powers wait for the second factor too
    cache = user.__dict__.setdefault("_agora_desk", {})
    if organization.pk not in cache:
        cache[organization.pk] = visitor.read(user, organization, "desk.agent")
    return cache[organization.pk]


def agent_columns(user: User, organization: Organization, vendor: str) -> tuple[list[str], list[int]]:
    """The visitor fact "desk.agent" (agora.visitor): a desk agent of the
    organization (asked on every page by the "Administration" link)."""
    return [f"EXISTS (SELECT 1 FROM {visitor.table(DeskAgent)} d WHERE d.organization_id = %s AND d.user_id = %s)"], [
        organization.pk,
        user.pk,
    ]


def person_the_agent_may_act_for(
    agent: User | AnonymousUser, organization: Organization | None, person_id: int
) -> User | None:
    """The managed participant's user, if `agent` may act for them now."""
    if organization is None or not agent.is_authenticated or not is_desk_agent(agent, organization):
        return None
    managed = (
        ManagedParticipant.objects.select_related("user")
        .filter(organization=organization, user_id=person_id, user__is_active=True)
        .first()
    )
    if managed is None or managed.is_claimed:
        return None
    return managed.user


def managed_participants(organization: Organization, query: str = "") -> QuerySet[ManagedParticipant]:
    rows = ManagedParticipant.objects.filter(organization=organization).select_related("user", "created_by")
    if query:
        rows = rows.filter(user__name__icontains=query) | rows.filter(user__nickname__icontains=query)
    return rows


def agents(organization: Organization) -> QuerySet[DeskAgent]:
    return DeskAgent.objects.filter(organization=organization).select_related("user", "granted_by")
