from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from agora.core.attention import Item
from agora.core.models import Organization
from agora.outbox.models import OutgoingEmail
from agora.permissions import can, is_platform_admin

STATES = (
    OutgoingEmail.State.FAILED,
    OutgoingEmail.State.UNSURE,
    OutgoingEmail.State.HELD,
    OutgoingEmail.State.PENDING,
)


def emails_for(
    user: AbstractBaseUser | AnonymousUser, organization: Organization | None, state: str
) -> QuerySet[OutgoingEmail]:
    """E-mails an officer may see on the outbox screen: the organization's;
    every organization's (and those of none) for platform admins."""
    rows = OutgoingEmail.objects.filter(state=state).select_related("organization").order_by("-created_at", "-pk")
    if is_platform_admin(user):
        return rows
    return rows.filter(organization=organization)


def email_for(
    user: AbstractBaseUser | AnonymousUser, organization: Organization | None, pk: int
) -> OutgoingEmail | None:
    rows = OutgoingEmail.objects.filter(pk=pk).select_related("organization")
    if not is_platform_admin(user):
        rows = rows.filter(organization=organization)
    return rows.first()


def attention_items(user: AbstractBaseUser, organization: Organization) -> list[Item]:
    """The outbox's cards on the back-office dashboard (agora.core.attention): the
    e-mails that failed for good, those possibly sent (a worker stopped while
    handing them to the relay) and those held after a restore, counted as the
    outbox screen lists them (every organization's for platform admins). One query."""
    if not can(user, "outbox.manage", organization):
        return []
    rows = (
        OutgoingEmail.objects.all()
        if is_platform_admin(user)
        else OutgoingEmail.objects.filter(organization=organization)
    )
    counts = rows.aggregate(
        failed=Count("pk", filter=Q(state=OutgoingEmail.State.FAILED)),
        held=Count("pk", filter=Q(state=OutgoingEmail.State.HELD)),
        unsure=Count("pk", filter=Q(state=OutgoingEmail.State.UNSURE)),
    )
    screen = reverse("outbox_admin:list")
    return [
        Item(
            ngettext("e-mail that could not be sent", "e-mails that could not be sent", counts["failed"]),
            counts["failed"],
            f"{screen}?{urlencode({'state': OutgoingEmail.State.FAILED})}",
            icon="mail-warning",
        ),
        Item(
            ngettext("e-mail possibly sent", "e-mails possibly sent", counts["unsure"]),
            counts["unsure"],
            f"{screen}?{urlencode({'state': OutgoingEmail.State.UNSURE})}",
            icon="mail-warning",
        ),
        Item(
            ngettext("e-mail held after a restore", "e-mails held after a restore", counts["held"]),
            counts["held"],
            f"{screen}?{urlencode({'state': OutgoingEmail.State.HELD})}",
            icon="mail-warning",
        ),
    ]
