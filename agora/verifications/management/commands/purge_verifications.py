from django.core.management.base import BaseCommand

from agora.verifications.services import purge_stale


class Command(BaseCommand):
    help = "Erase unfinished verifications older than AGORA_VERIFICATION_PENDING_DAYS (codes, addresses, scans)."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_stale()} unfinished verification(s) closed.")
