"""Count a pabulib .pb file: ``manage.py pb_tally FILE.pb [--rule greedy|mes] [--completion none|add1]``.

The file is counted as it says: its META ``min_project_score_threshold`` (projects
scoring less are never selected) and ``tie_breaking`` (Agora's published order) apply;
without ``--rule``, its META ``rule`` (greedy, greedy-threshold, equalshares,
equalshares/add1) is the rule."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from agora.tally import greedy, mes, pabulib
from agora.tally.election import TallyError, number


# META rule -> (rule, completion) of this command.
FILE_RULES = {
    "greedy": ("greedy", None),
    "greedy-threshold": ("greedy", None),
    "equalshares": ("mes", "none"),
    "equalshares/add1": ("mes", "add1"),
}


class Command(BaseCommand):
    help = "Count a pabulib .pb file with greedy or the Method of Equal Shares and print the winners."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .pb file")
        parser.add_argument("--rule", choices=["greedy", "mes"], default=None,
                            help="default: the rule the file's META names")
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
            min_score = pb.min_score()
            tie_order = pb.tie_order(election)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except (IsADirectoryError, PermissionError, OSError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
        except TallyError as exc:
            raise CommandError(f"{path}: not a readable pabulib file: {exc}") from None
        if rule is None:
            rule, file_completion = FILE_RULES.get(pb.meta.get("rule", "greedy").strip().lower(), (None, None))
            if rule is None:
                raise CommandError(f"{path}: the file's rule {pb.meta.get('rule')!r} is not one Agora counts; "
                                   "choose one with --rule greedy or --rule mes")
            completion = completion or file_completion
        if rule == "greedy":
            result = greedy(election, min_score=min_score, tie_order=tie_order)
        else:
            result = mes(election, completion or "add1", min_score=min_score, tie_order=tie_order)
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
