"""Count a pabulib .pb file: ``manage.py pb_tally FILE.pb [--rule greedy|mes] [--completion none|add1]``.

The file is counted as it says: its META ``min_project_score_threshold`` (projects
scoring less are never selected) and ``tie_breaking`` (Agora's published order) apply;
without ``--rule``, its META ``rule`` (greedy, greedy-threshold, equalshares,
equalshares/add1) is the rule."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from agora.tally import pabulib
from agora.tally.election import TallyError, number


class Command(BaseCommand):
    help = "Count a pabulib .pb file with greedy or the Method of Equal Shares and print the winners."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .pb file")
        parser.add_argument(
            "--rule", choices=["greedy", "mes"], default=None, help="default: the rule the file's META names"
        )
        parser.add_argument(
            "--completion",
            choices=["none", "add1"],
            default=None,
            help="MES only: none, or add1 (budget +1 per voter while feasible, then greedy). Default add1.",
        )
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, **options):
        path = options["file"]
        rule = options["rule"]
        completion = options["completion"]
        if rule == "greedy" and completion not in (None, "none"):
            raise CommandError("--completion applies to --rule mes only")
        start = time.perf_counter()
        try:
            pb = pabulib.load(path)
            election = pb.to_election()
            result = pabulib.recount(pb, rule, completion, election)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except (IsADirectoryError, PermissionError, OSError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
        except TallyError as exc:
            raise CommandError(f"{path}: not a readable pabulib file: {exc}") from None
        rule = result.rule
        seconds = time.perf_counter() - start
        if options["format"] == "json":
            out = {"selected": result.selected, "total_cost": number(result.total_cost), "seconds": round(seconds, 6)}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            self.stdout.write(f"rule: {rule}" + (f" (completion {result.completion})" if result.completion else ""))
            self.stdout.write(f"budget: {number(election.budget)}  total cost: {number(result.total_cost)}")
            for pid in result.selected:
                self.stdout.write(f"  {pid}  cost {number(election.by_id[pid].cost)}  votes {result.votes[pid]}")
            self.stdout.write(f"seconds: {seconds:.3f}")
