from django.core.management.base import BaseCommand

from agora.outbox.delivery import guard
from agora.outbox.models import OutgoingEmail
from agora.outbox.services import release


class Command(BaseCommand):
    help = (
        "Release the outbox held after a restore. --list shows the held e-mails (key, Message-ID, recipient) "
        "to compare with the relay's log; then --send-held sends them, --cancel-held drops them "
        "(e-mails sent after the backup was taken)."
    )

    def add_arguments(self, parser):
        choice = parser.add_mutually_exclusive_group(required=True)
        choice.add_argument("--list", action="store_true")
        choice.add_argument("--send-held", action="store_true")
        choice.add_argument("--cancel-held", action="store_true")

    def handle(self, *args, list, send_held, cancel_held, **options):
        if list:
            state = guard()
            self.stdout.write(f"held: {'yes' if state.held else 'no'} {state.reason}")
            for row in OutgoingEmail.objects.filter(state=OutgoingEmail.State.HELD).order_by("created_at"):
                self.stdout.write(f"{row.created_at:%Y-%m-%d %H:%M:%S} {row.key} {row.message_id} {row.recipient}")
            return
        count = release(send_held=send_held)
        self.stdout.write(f"Outbox released: {count} held e-mail(s) {'queued' if send_held else 'cancelled'}.")
