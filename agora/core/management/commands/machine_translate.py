"""manage.py machine_translate: translate the published content of every
organization that turned machine translation on (cron, e.g. every 10 minutes;
only what is new or changed is sent to the service)."""

from django.core.management.base import BaseCommand

from agora.core import machine_translation
from agora.core.models import Organization


class Command(BaseCommand):
    help = "Machine-translate new and changed published content of the organizations that turned it on."

    def handle(self, *args, **options):
        if machine_translation.backend() is None:
            self.stdout.write("No translation backend (AGORA_TRANSLATION_BACKEND): nothing to do.")
            return
        for organization in Organization.objects.filter(machine_translation=True):
            report = machine_translation.translate_organization(organization)
            self.stdout.write(
                f"{organization.host}: {report.translated} translated, {report.failed} failed, "
                f"{report.unchanged} unchanged"
            )
