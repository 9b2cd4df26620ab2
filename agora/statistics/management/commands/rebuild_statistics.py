"""Count participation again from what the components stored (after an upgrade
that adds statistics to existing data, or to mend aggregates): each
organization's participants and daily counts are replaced in one transaction.
Page views are kept (nothing else records them)."""

from django.core.management.base import BaseCommand

from agora.core.models import Organization
from agora.statistics.services import rebuild


class Command(BaseCommand):
    help = "Rebuild the participation statistics of every organization (or those named by --organization id)."

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, action="append", help="an organization's id (repeatable)")

    def handle(self, *args, **options):
        organizations = Organization.objects.order_by("pk")
        if options["organization"]:
            organizations = organizations.filter(pk__in=options["organization"])
        for organization in organizations:
            figures = rebuild(organization=organization)
            self.stdout.write(
                f"{organization}: {figures['events']} acts of participation, {figures['participants']} participant rows"
            )
