from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from agora.core.files import delete_stored_file, find_orphan_files


class Command(BaseCommand):
    help = (
        "List stored files (public and private media) that no database row refers to; "
        "with --delete, remove them. Safe to run at any time, and twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files found (default: only list them).")
        parser.add_argument(
            "--min-age-hours",
            type=float,
            default=1.0,
            help="Leave files younger than this alone (an upload is stored before its row is committed). Default: 1.",
        )

    def handle(self, *args, delete=False, min_age_hours=1.0, **options):
        orphans = find_orphan_files(min_age=timedelta(hours=min_age_hours))
        removed = failed = 0
        for stored in orphans:
            size = filesizeformat(stored.size) if stored.size is not None else "?"
            line = f"{stored.storage_name}\t{stored.name}\t{size}"
            if delete:
                try:
                    delete_stored_file(stored)
                except OSError as error:
                    failed += 1
                    self.stderr.write(f"{line}\tnot removed: {error}")
                    continue
                removed += 1
                line += "\tremoved"
            self.stdout.write(line)
        total = filesizeformat(sum(stored.size or 0 for stored in orphans))
        if delete:
            self.stdout.write(f"{removed} orphan file(s) removed, {failed} could not be removed.")
            if failed:
                raise CommandError("Some files could not be removed (see above).")
        else:
            self.stdout.write(f"{len(orphans)} orphan file(s) ({total}); run with --delete to remove them.")
