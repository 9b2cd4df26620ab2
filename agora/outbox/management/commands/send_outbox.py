import time

from django.core.management.base import BaseCommand

from agora.outbox.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Send every due e-mail of the outbox: retries whose time has come and e-mails left by a worker that "
        "died (lease expired). Schedule it every minute (cron), or run it with --loop as a service. Safe to run "
        "on several machines at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=float, default=0, metavar="SECONDS", help="keep running, one pass every SECONDS"
        )

    def handle(self, *args, loop, **options):
        while True:
            sent = deliver_due()
            if options["verbosity"] > 1 or (not loop and sent):
                self.stdout.write(f"{sent} e-mail(s) sent.")
            if not loop:
                return
            time.sleep(loop)
