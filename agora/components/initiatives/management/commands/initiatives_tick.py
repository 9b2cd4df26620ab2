from django.core.management.base import BaseCommand

from agora.components.initiatives.services import close_due


class Command(BaseCommand):
    help = "Close the initiatives whose signature window has ended (idempotent; run it every few minutes)."

    def handle(self, *args, **options):
        closed = close_due()
        self.stdout.write(f"{closed} initiative(s) closed.")
