"""Check Agora's winners against pabutools on every pabulib instance.

    .venv/bin/python bench/pabulib_check.py [--rule greedy|mes|mes-add1 ...] [--only NAME] [--timeout 600]

pabutools runs in a child process per count, one at a time, with a timeout (10 minutes by
default) and an address-space cap (14 GB by default, --memory-gb): where it does not
finish, the line says "pabutools did not finish" and the instance is not counted as
checked. Agora counts in this process. Last line:

RESULT checked=<n> equal=<n> different=<n> pabutools_unfinished=<n>
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TALLY_BENCH = ROOT / "bench" / "tally.py"
RULES = {"greedy": ("greedy", "none"), "mes": ("mes", "none"), "mes-add1": ("mes", "add1")}


def main() -> int:
    from agora.tally import greedy, mes, pabulib

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "pabulib"))
    parser.add_argument("--rule", action="append", choices=sorted(RULES))
    parser.add_argument("--only", action="append")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--memory-gb", type=float, default=14)
    args = parser.parse_args()
    rules = args.rule or ["greedy", "mes", "mes-add1"]
    files = sorted(Path(args.data).glob("*.pb"), key=lambda p: p.stat().st_size)
    if args.only:
        files = [f for f in files if f.name in set(args.only)]
    checked = equal = different = unfinished = 0
    for f in files:
        election = pabulib.load(f).to_election()
        for name in rules:
            rule, completion = RULES[name]
            start = time.perf_counter()
            ours = (greedy(election) if rule == "greedy" else mes(election, completion)).selected
            ours_s = time.perf_counter() - start
            cmd = [sys.executable, "-c", CHILD, str(f), rule, completion, str(int(args.memory_gb * 1024**3))]
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, cwd=ROOT)
            except subprocess.TimeoutExpired:
                proc = None
            if proc is None or proc.returncode != 0:
                why = "timeout" if proc is None else (proc.stderr.strip().splitlines() or ["error"])[-1][:80]
                print(f"{f.name:58} {name:9} pabutools did not finish ({why}); Agora {ours_s:.2f}s", flush=True)
                unfinished += 1
                continue
            ref = json.loads(proc.stdout.strip().splitlines()[-1])
            checked += 1
            same = ref["selected"] == ours
            equal += same
            different += not same
            verdict = "equal" if same else f"DIFFERENT pabutools={ref['selected']} agora={ours}"
            print(f"{f.name:58} {name:9} {verdict}  (pabutools {ref['seconds']:.1f}s, Agora {ours_s:.2f}s)", flush=True)
    print(f"RESULT checked={checked} equal={equal} different={different} pabutools_unfinished={unfinished}")
    return 1 if different else 0


CHILD = """
import json, resource, sys, time
path, rule, completion, cap = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
sys.path.insert(0, '.')
from agora.tally.tests.reference import reference_count
t = time.perf_counter()
sel = reference_count(path, rule, completion)
print(json.dumps({"selected": sel, "seconds": time.perf_counter() - t}))
"""

if __name__ == "__main__":
    sys.exit(main())
