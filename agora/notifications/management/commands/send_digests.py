from django.core.management.base import BaseCommand

from agora.notifications.emails import send_digests


class Command(BaseCommand):
    help = "Send the daily or weekly notification digest to the people who chose it and have something new."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=["daily", "weekly"])

    def handle(self, *args, frequency, **options):
        sent = send_digests(frequency)
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
