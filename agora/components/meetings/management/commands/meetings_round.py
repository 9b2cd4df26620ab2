from django.core.management.base import BaseCommand

from agora.components.meetings.tasks import closing_round, reminders_round


class Command(BaseCommand):
    help = "Queue the meetings' reminders (the day before) and the organizers' reminders to close (cron)."

    def handle(self, *args, **options):
        reminders_round.enqueue()
        closing_round.enqueue()
        self.stdout.write("queued")
