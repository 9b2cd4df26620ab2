from django.core.management.base import BaseCommand

from agora.outbox.delivery import hold


class Command(BaseCommand):
    help = (
        "Run right after restoring a backup, before starting the workers: holds every e-mail that was waiting "
        "when the backup was taken (it may have been sent since). Nothing is sent until "
        "`manage.py release_outbox` is run."
    )

    def handle(self, *args, **options):
        count = hold(reason="manage.py after_restore")
        self.stdout.write(
            f"Outbox held: {count} e-mail(s) set aside. Check them, then run "
            "`manage.py release_outbox --send-held` or `--cancel-held`."
        )
