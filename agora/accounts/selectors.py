from dataclasses import dataclass

from django.db.models import QuerySet

from agora.core.hiding import without_hidden_targets


@dataclass(frozen=True)
class TermsStatus:
    current_version: int
    accepted_version: int
    blocked: bool

    @property
    def needs_acceptance(self) -> bool:
        return self.current_version > self.accepted_version


def terms_status(user, organization) -> TermsStatus:
    """Which terms version the organization asks for and which the person
    accepted, memoised on the user object for the request."""
    cache = user.__dict__.setdefault("_agora_terms", {})
    if organization.pk not in cache:
        participation_status(user, organization, with_email=False)
    return cache[organization.pk]


def participation_status(user, organization, *, with_email: bool = True) -> tuple[bool | None, TermsStatus]:
    """(the person's e-mail address is confirmed, their terms status) in one
    query; the terms status is memoised like terms_status. The e-mail answer
    (None unless `with_email`) is not memoised."""
    from allauth.account.models import EmailAddress
    from django.db import connection

    from agora.accounts.models import Membership
    from agora.core.models import TermsVersion

    known = user.__dict__.get("_agora_terms", {}).get(organization.pk)
    if known is not None and with_email:  # the terms were read already in this request
        return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists(), known
    # Plain SQL: asked on every action, and the ORM's compilation of these
    # subqueries costs more CPU than the database's work.
    quote = connection.ops.quote_name
    email = (f"EXISTS (SELECT 1 FROM {quote(EmailAddress._meta.db_table)} e WHERE e.user_id = %s "
             f"AND UPPER(e.email) = UPPER(%s) AND e.verified = %s)") if with_email else "NULL"
    sql = (f"SELECT (SELECT t.version FROM {quote(TermsVersion._meta.db_table)} t WHERE t.organization_id = %s "
           f"ORDER BY t.version DESC LIMIT 1), m.accepted_terms_version, m.blocked_at, {email} "
           f"FROM (SELECT 1 AS one) o LEFT JOIN {quote(Membership._meta.db_table)} m "
           f"ON m.user_id = %s AND m.organization_id = %s")
    params = [organization.pk] + ([user.pk, user.email, True] if with_email else []) + [user.pk, organization.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        current, accepted, blocked_at, email_ok = cursor.fetchone()
    row = {"current": current, "accepted": accepted, "blocked": blocked_at, "email": email_ok}
    status = TermsStatus(current_version=row.get("current") or 0, accepted_version=row.get("accepted") or 0,
                         blocked=row.get("blocked") is not None)
    user.__dict__.setdefault("_agora_terms", {})[organization.pk] = status
    return (bool(row.get("email")) if with_email else None), status


def people_of(organization):
    """The accounts that belong to the organization: its members (a
    Membership) and its staff (a Role), active and not deleted. Accounts are
    installation-wide, so every look-up of a person on an organization's
    site (a profile, an e-mail typed by an officer) starts here: nothing
    about people of another organization is found, and no answer tells
    whether an account exists elsewhere."""
    from django.db.models import Exists, OuterRef, Q

    from agora.accounts.models import Membership, User
    from agora.spaces.models import Role

    return User.objects.filter(
        Q(Exists(Membership.objects.filter(user=OuterRef("pk"), organization=organization)))
        | Q(Exists(Role.objects.filter(user=OuterRef("pk"), organization=organization))),
        deleted_at__isnull=True, is_active=True,
    )


def public_person(nickname: str, organization):
    """The person behind a public profile on the organization's site, or
    None when they do not belong to it, or the account is deleted or
    deactivated."""
    return people_of(organization).filter(nickname__iexact=nickname).first()


def public_contributions(person, organization) -> QuerySet:
    """What the person did publicly in this organization, newest first,
    except what moderation hid (the rows name the content)."""
    from agora.actionlog.models import ActionLog

    return without_hidden_targets(
        ActionLog.objects.filter(
            organization=organization, actor=person, visibility=ActionLog.Visibility.PUBLIC
        )
    ).select_related("space", "component").order_by("-created_at", "-id")


def membership_since(person, organization):
    """When the person joined the organization (None when they never did)."""
    from agora.accounts.models import Membership

    return (
        Membership.objects.filter(user=person, organization=organization)
        .values_list("joined_at", flat=True)
        .first()
    )


def pending_invitation(organization, token: str):
    """The unused invitation of this organization carrying `token`, or None."""
    from agora.accounts.models import Invitation

    if not token or len(token) > 64:
        return None
    return Invitation.objects.filter(organization=organization, token=token, accepted_at__isnull=True).first()


def participant_by_handle(organization, text):
    """The participant of the organization with this nickname or e-mail (exact, any case)."""
    from django.db.models import Q

    from agora.accounts.models import User

    return (
        User.objects.filter(memberships__organization=organization, deleted_at__isnull=True)
        .filter(Q(nickname__iexact=text) | Q(email__iexact=text))
        .first()
    )
