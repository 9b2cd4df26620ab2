from dataclasses import dataclass

from django.db.models import QuerySet


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
        from agora.accounts.models import Membership

        current = organization.terms_versions.values_list("version", flat=True).first() or 0
        membership = Membership.objects.filter(user=user, organization=organization).first()
        cache[organization.pk] = TermsStatus(
            current_version=current,
            accepted_version=membership.accepted_terms_version if membership else 0,
            blocked=bool(membership and membership.blocked_at),
        )
    return cache[organization.pk]


def public_person(nickname: str):
    """The person behind a public profile, or None when the account is
    deleted or deactivated."""
    from agora.accounts.models import User

    return User.objects.filter(nickname__iexact=nickname, deleted_at__isnull=True, is_active=True).first()


def public_contributions(person, organization) -> QuerySet:
    """What the person did publicly in this organization, newest first."""
    from agora.actionlog.models import ActionLog

    return (
        ActionLog.objects.filter(
            organization=organization, actor=person, visibility=ActionLog.Visibility.PUBLIC
        )
        .select_related("space", "component")
        .order_by("-created_at", "-id")
    )


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
