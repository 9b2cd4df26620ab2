from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from agora.core.models import Organization
from agora.outbox.models import OutgoingEmail
from agora.permissions import is_platform_admin

STATES = (OutgoingEmail.State.FAILED, OutgoingEmail.State.HELD, OutgoingEmail.State.PENDING)


def emails_for(user: AbstractBaseUser | AnonymousUser, organization: Organization | None,
               state: str) -> QuerySet[OutgoingEmail]:
    """E-mails an officer may see on the outbox screen: the organization's;
    every organization's (and those of none) for platform admins."""
    rows = OutgoingEmail.objects.filter(state=state).select_related("organization").order_by("-created_at", "-pk")
    if is_platform_admin(user):
        return rows
    return rows.filter(organization=organization)


def email_for(user: AbstractBaseUser | AnonymousUser, organization: Organization | None,
              pk: int) -> OutgoingEmail | None:
    rows = OutgoingEmail.objects.filter(pk=pk).select_related("organization")
    if not is_platform_admin(user):
        rows = rows.filter(organization=organization)
    return rows.first()
