from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q, QuerySet

from agora import visitor
from agora.accounts import staff
from agora.accounts.models import Invitation, Membership, User
from agora.actionlog.models import ActionLog
from agora.core.hiding import without_hidden_targets
from agora.core.models import Organization, TermsVersion
from agora.visitor import table


@dataclass(frozen=True)
class TermsStatus:
    current_version: int
    accepted_version: int
    blocked: bool

    @property
    def needs_acceptance(self) -> bool:
        return self.current_version > self.accepted_version


def terms_status(user: User, organization: Organization) -> TermsStatus:
    """Which terms version the organization asks for and which the person
    accepted, memoised on the user object for the request."""
    cache = user.__dict__.setdefault("_agora_terms", {})
    if organization.pk not in cache:
        participation_status(user, organization)
    return cache[organization.pk]


def participation_status(user: User, organization: Organization) -> tuple[bool, TermsStatus]:
    """(the person's e-mail address is confirmed, their terms status): the
    visitor fact "accounts.participation" (agora.visitor: the page's one
    query while a page is read, else a query of its own). The terms status is
    memoised like terms_status."""
    email_verified, status = visitor.read(user, organization, "accounts.participation")
    user.__dict__.setdefault("_agora_terms", {})[organization.pk] = status
    return email_verified, status


def participation_columns(user: User, organization: Organization, vendor: str) -> tuple[list[str], list[Any]]:
    """The SQL of the visitor fact "accounts.participation" (plain SQL: asked
    on every page and every action, where the ORM's compilation of
    subqueries costs more CPU than the database's work)."""
    membership = f"FROM {table(Membership)} m WHERE m.user_id = %s AND m.organization_id = %s"
    return [
        f"(SELECT t.version FROM {table(TermsVersion)} t WHERE t.organization_id = %s ORDER BY t.version DESC LIMIT 1)",
        f"(SELECT m.accepted_terms_version {membership})",
        f"(SELECT m.blocked_at IS NOT NULL {membership})",
        f"EXISTS (SELECT 1 FROM {table(EmailAddress)} e WHERE e.user_id = %s "
        f"AND UPPER(e.email) = UPPER(%s) AND e.verified = %s)",
    ], [organization.pk, user.pk, organization.pk, user.pk, organization.pk, user.pk, user.email, True]


def participation_value(values: Sequence[Any]) -> tuple[bool, TermsStatus]:
    current, accepted, blocked, email_verified = values
    return bool(email_verified), TermsStatus(
        current_version=current or 0, accepted_version=accepted or 0, blocked=bool(blocked)
    )


def people_of(organization: Organization) -> QuerySet[User]:
    """The accounts that belong to the organization: its members (a
    Membership) and its staff (a Role), active and not deleted. Accounts are
    installation-wide, so every look-up of a person on an organization's
    site (a profile, an e-mail typed by an officer) starts here: nothing
    about people of another organization is found, and no answer tells
    whether an account exists elsewhere."""
    return User.objects.filter(
        Q(Exists(Membership.objects.filter(user=OuterRef("pk"), organization=organization)))
        | Q(Exists(staff.roles().held_in(organization))),
        deleted_at__isnull=True,
        is_active=True,
    )


def public_person(nickname: str, organization: Organization) -> User | None:
    """The person behind a public profile on the organization's site, or
    None when they do not belong to it, or the account is deleted or
    deactivated."""
    return people_of(organization).filter(nickname__iexact=nickname).first()


def public_contributions(person: User, organization: Organization) -> QuerySet[ActionLog]:
    """What the person did publicly in this organization, newest first,
    except what moderation hid (the rows name the content)."""
    return (
        without_hidden_targets(
            ActionLog.objects.filter(organization=organization, actor=person, visibility=ActionLog.Visibility.PUBLIC)
        )
        .select_related("space", "component")
        .order_by("-created_at", "-id")
    )


def membership_since(person: User, organization: Organization) -> datetime | None:
    """When the person joined the organization (None when they never did)."""
    return Membership.objects.filter(user=person, organization=organization).values_list("joined_at", flat=True).first()


def pending_invitation(organization: Organization, token: str) -> Invitation | None:
    """The unused invitation of this organization carrying `token`, or None."""
    if not token or len(token) > 64:
        return None
    return Invitation.objects.filter(organization=organization, token=token, accepted_at__isnull=True).first()


def participant_by_handle(organization: Organization, text: str) -> User | None:
    """The participant of the organization with this nickname or e-mail (exact, any case)."""
    return (
        User.objects.filter(memberships__organization=organization, deleted_at__isnull=True)
        .filter(Q(nickname__iexact=text) | Q(email__iexact=text))
        .first()
    )


def totp_columns(user: User, organization: Organization, vendor: str) -> tuple[list[str], list[Any]]:
    """The visitor fact "accounts.totp": the person set up an authenticator app
    (asked for every page only where the organization requires it of its staff)."""
    return [f"EXISTS (SELECT 1 FROM {table(Authenticator)} a WHERE a.user_id = %s AND a.type = %s)"], [
        user.pk,
        Authenticator.Type.TOTP,
    ]
