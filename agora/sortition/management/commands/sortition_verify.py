"""Check a published verification bundle without the database:

    manage.py sortition_verify BUNDLE.json [--recompute]

re-derives, for each draw, the pool's and the distribution's SHA-256, checks every panel of
the distribution against the quotas and households, the commitments of the parties that
revealed, the seed and the panel (and, for a replacement, that its pool and quotas follow
from the first draw). --recompute also runs the algorithm again and compares the distribution
(same version of Agora's sortition engine only). Exit status 1 when anything does not match."""

import json

from django.core.management.base import BaseCommand, CommandError

from agora.sortition.draw import VerificationError, verify


class Command(BaseCommand):
    help = "Check a sortition verification bundle (JSON): hashes, quotas, commitments, seed and panel."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("bundle")
        parser.add_argument("--recompute", action="store_true", help="also recompute each distribution")

    def handle(self, *args, **options):
        path = options["bundle"]
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path}: not a readable JSON file ({exc})") from None
        try:
            lines = verify(data, recompute=options["recompute"])
        except VerificationError as exc:
            raise CommandError(f"NOT VERIFIED: {exc}") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CommandError(f"NOT VERIFIED: the bundle is malformed ({exc!r})") from None
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("VERIFIED")
