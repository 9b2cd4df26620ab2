"""Tasks of the core, run by the worker."""

from django_tasks import task

from agora.core import machine_translation
from agora.core.models import Organization


@task()
def machine_translate_task(organization_id: int) -> str:
    """Translate what needs it of one organization (agora.core.machine_translation)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return "gone"
    report = machine_translation.translate_organization(organization)
    return f"translated={report.translated} failed={report.failed} unchanged={report.unchanged}"
