import time

from django.core.management.base import BaseCommand

from agora.newsletters.sending import resume_due


class Command(BaseCommand):
    help = (
        "Start the scheduled newsletters whose date has come and resume the sendings whose worker died (no "
        "batch for AGORA_NEWSLETTER_STALE_SECONDS): their task is queued again for the worker, which sends "
        "to those not yet sent and never twice to anyone. Schedule it every minute (cron), next to send_outbox, "
        "or run it with --loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=float, default=0, metavar="SECONDS", help="keep running, one pass every SECONDS"
        )

    def handle(self, *args, loop, **options):
        while True:
            queued = resume_due()
            if options["verbosity"] > 1 or (not loop and queued):
                self.stdout.write(f"{len(queued)} newsletter(s) queued: {queued}")
            if not loop:
                return
            time.sleep(loop)
