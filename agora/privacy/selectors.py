"""Reads of a person's own data and of an organization's retention choices."""

from django.db.models import QuerySet
from django.utils import timezone

from agora.accounts.models import ConsentRecord, User
from agora.core.models import Organization
from agora.privacy.models import PersonalDataExport, PrivacySettings


def exports_of(person: User) -> list[PersonalDataExport]:
    """The person's last requests (the page lists what is being prepared or ready)."""
    return list(PersonalDataExport.objects.filter(user=person)[:5])


def downloadable(person: User, export_id: int) -> PersonalDataExport | None:
    """The person's own zip, ready and not expired; None for anyone else's."""
    return PersonalDataExport.objects.filter(
        pk=export_id, user=person, status=PersonalDataExport.Status.READY, expires_at__gt=timezone.now()
    ).first()


def consents_of(person: User, organization: Organization) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=person, organization=organization).order_by("-at", "-pk")


def settings_of(organization: Organization) -> PrivacySettings:
    """The organization's choices; unsaved (everything off) until first saved."""
    return PrivacySettings.objects.filter(organization=organization).first() or PrivacySettings(
        organization=organization
    )
