from django.core.management.base import BaseCommand, CommandError

from agora.core.models import Organization
from agora.opendata import services


class Command(BaseCommand):
    help = (
        "Build the open-data zips (one per organization, one per public component): queue one task per "
        "organization for the worker (schedule it each night, cron), or build here with --now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", metavar="HOST", help="only the organization served at HOST")
        parser.add_argument("--now", action="store_true", help="build in this process instead of queuing tasks")

    def handle(self, *args, organization=None, now=False, **options):
        organizations = Organization.objects.order_by("pk")
        if organization:
            organizations = organizations.filter(host=organization)
            if not organizations.exists():
                raise CommandError(f"No organization is served at {organization!r}.")
        for found in organizations:
            if now:
                files = services.build(found)
                self.stdout.write(f"{found.host}: {len(files)} file(s) built")
            else:
                services.build_task.enqueue(found.pk)
                self.stdout.write(f"{found.host}: build queued")
