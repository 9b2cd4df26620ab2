from datetime import date as date_type

from django.core.management.base import BaseCommand

from agora.spaces.services import sync_active_phases


class Command(BaseCommand):
    help = "Activate in every process the phase whose dates contain today (idempotent; run it daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        today = date_type.fromisoformat(date) if date else None
        activated = sync_active_phases(today=today)
        for phase in activated:
            self.stdout.write(f"{phase.space}: {phase}")
        self.stdout.write(f"{len(activated)} phase(s) activated.")
