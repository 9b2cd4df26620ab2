"""Groups of opinion of a conversation in Polis' open-data format:

    manage.py opinion_groups participants-votes.csv --format json

prints {"groups": {"<participant id>": <group>}, "k": <number of groups>, "seconds": <s>}
(participants not placed in a group are left out). The statements that a `comments.csv`
beside the file (or given with --comments) marks moderated out (-1) count as Polis counts
them. The analysis is agora.components.opinions.analysis (docs/opinions.md)."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agora.components.opinions import analysis


class Command(BaseCommand):
    help = "Groups of opinion (Polis' method) of a participants-votes.csv in Polis' open-data format."

    def add_arguments(self, parser):
        parser.add_argument("votes", help="participants-votes.csv (Polis' open-data export)")
        parser.add_argument("--comments", help="comments.csv (default: the one beside the votes, if any)")
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument("--min-votes", type=int, default=analysis.MIN_VOTES)

    def handle(self, *args, **options):
        path = Path(options["votes"])
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                matrix, _polis = analysis.read_participants_votes(handle)
            comments = Path(options["comments"]) if options["comments"] else path.with_name("comments.csv")
            moderated: set = set()
            if options["comments"] or comments.exists():
                with open(comments, encoding="utf-8", newline="") as handle:
                    moderated = analysis.read_moderated_out(handle)
        except (OSError, ValueError, StopIteration, KeyError) as error:
            raise CommandError(f"Cannot read {path}: {error}")
        started = time.perf_counter()
        result = analysis.analyse_replayed(matrix, moderated_out=moderated, min_votes=options["min_votes"])
        seconds = round(time.perf_counter() - started, 3)
        if options["format"] == "json":
            groups = {str(p): g for p, g in result.groups.items()}
            self.stdout.write(json.dumps({"groups": groups, "k": result.k, "seconds": seconds}))
            return
        self.stdout.write(f"{len(matrix.participants)} participants, {len(matrix.statements)} statements")
        self.stdout.write(f"{result.k} groups, sizes {result.group_sizes}, in {seconds} s")
        for group, statements in enumerate(result.representative):
            listed = ", ".join(f"{s['statement']} ({s['repful_for']} {s['p_success']:.0%})" for s in statements)
            self.stdout.write(f"group {group}: {listed}")
