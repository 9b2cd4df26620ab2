"""Select a panel from files in the citizensassemblies-replication format, for the record and for research:

    manage.py sortition_select --respondents R.csv --categories C.csv --panel-size K
        --algorithm leximin|maximin|legacy [--seed TEXT] [--household-column NAME]
        [--format json|text] [--bundle OUT.json]

prints {"panel": [...], "probabilities": {...}, "min_probability": p, "distribution_sha256": "...",
"seconds": s}. The panel is drawn with the verifiable procedure (docs/sortition.md) from the
public value TEXT (empty without --seed: then anyone can predict it, fine for research, not
for a real draw); --bundle also writes the verification bundle that `sortition_verify` checks.
Needs no database."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from agora.sortition import draw, feasibility, pool
from agora.sortition.algorithms import ALGORITHMS, InfeasibleError, select


class Command(BaseCommand):
    help = "Select a panel by lot with quotas (LEXIMIN, maximin or legacy) from respondents and categories files."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--respondents", required=True)
        parser.add_argument("--categories", required=True)
        parser.add_argument("--panel-size", type=int, required=True)
        parser.add_argument("--algorithm", choices=ALGORITHMS, default="leximin")
        parser.add_argument("--seed", default=None, help="public value the draw's seed is made of")
        parser.add_argument("--household-column", default=None, help="column naming the household (one per household)")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument("--bundle", default=None, help="also write the verification bundle to this file")

    def handle(self, *args, **options):
        start = time.perf_counter()
        try:
            instance = pool.load(
                options["respondents"], options["categories"], options["panel_size"], options["household_column"]
            )
        except FileNotFoundError as exc:
            raise CommandError(f"{exc.filename}: no such file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read the files ({exc})") from None
        except pool.InstanceError as exc:
            raise CommandError(str(exc)) from None
        report = feasibility.check(instance)
        if not report.feasible:
            lines = [feasibility.describe(c) for c in report.conflicts + report.changes()]
            raise CommandError("the quotas cannot be met:\n  " + "\n  ".join(lines))
        try:
            distribution = select(instance, options["algorithm"])
        except InfeasibleError as exc:
            raise CommandError(str(exc)) from None
        record = draw.draw(distribution, [], options["seed"])
        seconds = time.perf_counter() - start
        if options["bundle"]:
            with open(options["bundle"], "w", encoding="utf-8") as out:
                json.dump(draw.bundle([record]), out, ensure_ascii=False, indent=1)
        probabilities = distribution.probabilities()
        if options["format"] == "json":
            result = {
                "panel": record["panel"],
                "probabilities": probabilities,
                "min_probability": min(probabilities.values()),
                "distribution_sha256": record["distribution_sha256"],
                "seconds": round(seconds, 3),
            }
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"algorithm: {options['algorithm']}  pool: {len(instance.people)}  types: {len(instance.types())}"
            )
            self.stdout.write(f"panels in the distribution: {len(distribution.panels)}")
            self.stdout.write(f"minimum probability: {min(probabilities.values()):.6f}")
            self.stdout.write(f"distribution SHA-256: {record['distribution_sha256']}")
            self.stdout.write(f"panel: {' '.join(record['panel'])}")
            self.stdout.write(f"seconds: {seconds:.3f}")
