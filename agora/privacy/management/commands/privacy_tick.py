from django.core.management.base import BaseCommand

from agora.privacy.services import tick


class Command(BaseCommand):
    help = (
        "Apply the retention of personal data (run daily, cron): remove the 'download my data' zips past their "
        "7 days, warn (30 and 7 days before, once each) then delete accounts inactive for longer than the "
        "organization's setting, erase the kept data of old verification records."
    )

    def handle(self, *args, **options):
        done = tick()
        self.stdout.write(" ".join(f"{name}={count}" for name, count in done.items()))
