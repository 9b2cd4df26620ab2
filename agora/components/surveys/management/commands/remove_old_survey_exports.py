from django.core.management.base import BaseCommand

from agora.components.surveys.cleanup import export_days, remove_old_exports


class Command(BaseCommand):
    help = (
        "Remove the files of every answer of surveys (background exports) older than "
        "AGORA_SURVEY_EXPORT_DAYS days (7 unless set), with their rows. Safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Older than this many days (default: the setting).")

    def handle(self, *args, days=None, **options):
        removed = remove_old_exports(days=days)
        self.stdout.write(f"{removed} survey export(s) older than {days or export_days()} days removed.")
