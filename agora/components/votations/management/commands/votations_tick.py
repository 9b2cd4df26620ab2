from django.core.management.base import BaseCommand

from agora.components.votations.services import close_due


class Command(BaseCommand):
    help = "Close the citizen votes whose closing date has passed (idempotent; run it every few minutes)."

    def handle(self, *args, **options):
        closed = close_due()
        self.stdout.write(f"{closed} vote(s) closed.")
