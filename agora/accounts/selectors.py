from dataclasses import dataclass


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
