"""Reads of the open data: the organization's licence and its built files."""

from agora.core.models import Organization
from agora.opendata.models import Licence, OpenDataFile, OpenDataSettings


def settings_of(organization: Organization) -> OpenDataSettings:
    """The organization's choices, unsaved defaults (Licence Ouverte 2.0) until first saved."""
    found = OpenDataSettings.objects.filter(organization=organization).first()
    return found or OpenDataSettings(organization=organization, licence=Licence.ETALAB)


def files_of(organization: Organization) -> list[OpenDataFile]:
    """The organization's zip first, then its components' (with their space), as built last."""
    files = list(
        OpenDataFile.objects.filter(organization=organization)
        .select_related("component__space")
        .order_by("component__space__weight", "component__space_id", "component__weight", "component_id")
    )
    return sorted(files, key=lambda file: file.component_id is not None)


def file_for(organization: Organization, component_id: int | None) -> OpenDataFile | None:
    found = OpenDataFile.objects.filter(organization=organization)
    if component_id is None:
        return found.filter(component__isnull=True).first()
    return found.filter(component_id=component_id).first()
