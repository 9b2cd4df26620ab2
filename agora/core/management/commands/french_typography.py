"""Put no-break spaces in the French catalogues where French typography wants them
(agora.core.typography); `make messages` runs it before compiling. --check only lists."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agora.core.typography import fix_catalogue, french_catalogues


class Command(BaseCommand):
    help = "Fix the spaces before : ; ! ? % and inside « » in the French catalogues."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="List what needs fixing; change nothing.")

    def handle(self, *args, check=False, **options):
        wrong = 0
        for path in french_catalogues(settings.BASE_DIR / "agora"):
            fixed = fix_catalogue(path, write=not check)
            wrong += len(fixed)
            if fixed:
                self.stdout.write(
                    f"{path.relative_to(settings.BASE_DIR)}: {len(fixed)} translation(s){'' if check else ' fixed'}"
                )
        if check and wrong:
            raise CommandError("Breakable spaces in French translations: run `manage.py french_typography`.")
