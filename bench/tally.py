"""Counting speed on every pabulib instance in ../shared/data/pabulib.

    .venv/bin/python bench/tally.py [--with-pabutools] [--only NAME] [--data DIR]

For each instance, a fresh child process reads the .pb file and counts it with greedy,
MES without completion and MES with add1 completion (then greedy); each figure is the
time from file to winners (reading and parsing included); the read_s column is the
longest of the three readings of the file (part of each figure). A count still running after
--timeout seconds is stopped and shown as the timeout with a "+". The child's peak memory (max
RSS) is measured by the parent. With --with-pabutools, pabutools counts the same
instance in its own child process (10 minutes and 14 GB at most per count, one count at
a time) and the ratio is printed. The last line is:

RESULT instances=<n> max_greedy_s=<s> max_mes_s=<s> max_mes_add1_s=<s> max_rss_mb=<MB>
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "pabulib"
PABUTOOLS_TIMEOUT = 600
PABUTOOLS_MEMORY = 14 * 1024**3


def child_agora(path: str) -> None:
    from agora.tally import greedy, mes, pabulib

    out = {}
    for key, run in (
        ("greedy", lambda e: greedy(e)),
        ("mes", lambda e: mes(e, "none")),
        ("mes_add1", lambda e: mes(e, "add1")),
    ):
        start = time.perf_counter()
        election = pabulib.load(path).to_election()
        read = time.perf_counter()
        result = run(election)
        out[key] = time.perf_counter() - start
        out["read"] = max(out.get("read", 0.0), read - start)
        out[key + "_selected"] = len(result.selected)
        out["voters"] = election.num_ballots
        out["projects"] = len(election.projects)
        print(json.dumps(out), flush=True)


def child_pabutools(path: str, rule: str, completion: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (PABUTOOLS_MEMORY, PABUTOOLS_MEMORY))
    from agora.tally.tests.reference import reference_count

    start = time.perf_counter()
    selected = reference_count(path, rule, completion)
    print(json.dumps({"seconds": time.perf_counter() - start, "selected": selected}))


def run_child(args: list[str], timeout: float | None):
    """Run this script as a child with a timeout; returns (parsed JSON or None, None, error)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None, None, "timeout"
    rss = None
    if proc.returncode != 0:
        last = (err.strip().splitlines() or ["failed"])[-1]
        return None, rss, last
    return json.loads(out.strip().splitlines()[-1]), rss, None


def rss_of(proc_args: list[str], timeout: float):
    """Like run_child but measures the child's own peak memory exactly with wait4."""
    proc = subprocess.Popen(
        [sys.executable, __file__, *proc_args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # communicate() would reap the child: read the pipes, then wait4 for its own rusage.
    # (Agora's output is tiny; stderr is only read after stdout closes.)
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    assert proc.stdout is not None and proc.stderr is not None  # both piped above
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / 1024
    lines = out.strip().splitlines()
    if not lines:
        return None, rss, (err.strip().splitlines() or ["failed"])[-1]
    res = json.loads(lines[-1])
    if proc.returncode != 0:
        # killed after the timeout: the rules not finished count as the timeout
        for key in ("greedy", "mes", "mes_add1"):
            res.setdefault(key, float(timeout))
            res.setdefault(key + "_timeout", key not in json.loads(lines[-1]))
    return res, rss, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--only", action="append", help="instance file name (repeatable)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per instance for Agora (default 600)")
    parser.add_argument("--with-pabutools", action="store_true", help="also time pabutools (very long)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "agora":
            child_agora(args.child[1])
        else:
            child_pabutools(args.child[1], args.child[2], args.child[3])
        return 0

    files = sorted(Path(args.data).glob("*.pb"), key=lambda p: p.stat().st_size)
    if args.only:
        files = [f for f in files if f.name in set(args.only)]
    if not files:
        print(f"no .pb files in {args.data}", file=sys.stderr)
        return 1
    header = f"{'instance':58} {'voters':>7} {'proj':>4} {'read_s':>7} {'greedy_s':>9} {'mes_s':>8} {'add1_s':>8} {'rss_mb':>7}"
    if args.with_pabutools:
        header += "   pabutools greedy / mes / add1 (s) and ratio pabutools/Agora"
    print(header, flush=True)
    maxima = {"greedy": 0.0, "mes": 0.0, "mes_add1": 0.0, "rss": 0.0, "read": 0.0}
    count = 0
    failures = 0
    timeouts = 0
    for f in files:
        res, rss, err = rss_of(["--child", "agora", str(f)], args.timeout)
        if res is None:
            print(f"{f.name:58} FAILED: {err}", flush=True)
            failures += 1
            continue
        count += 1
        for key in ("greedy", "mes", "mes_add1"):
            maxima[key] = max(maxima[key], res[key])
        maxima["rss"] = max(maxima["rss"], rss)
        maxima["read"] = max(maxima["read"], res.get("read", 0.0))
        timeouts += bool(res.get("mes_add1_timeout"))
        line = (
            f"{f.name:58} {res['voters']:>7} {res['projects']:>4} {res.get('read', 0):>7.3f} {res['greedy']:>9.3f} "
            f"{res['mes']:>8.3f} {res['mes_add1']:>8.3f}{'+' if res.get('mes_add1_timeout') else ' '}{rss:>6.0f}"
        )
        if args.with_pabutools:
            parts = []
            for key, rule, completion in (
                ("greedy", "greedy", "none"),
                ("mes", "mes", "none"),
                ("mes_add1", "mes", "add1"),
            ):
                ref, _, perr = run_child(["--child", "pabutools", str(f), rule, completion], PABUTOOLS_TIMEOUT)
                if ref is None:
                    parts.append("did not finish" if perr == "timeout" else f"failed ({perr[:40]})")
                else:
                    parts.append(f"{ref['seconds']:.2f} (x{ref['seconds'] / max(res[key], 1e-6):.0f})")
            line += "   " + " / ".join(parts)
        print(line, flush=True)
    if timeouts:
        print(f"note: MES+add1 stopped at the {args.timeout:g} s timeout on {timeouts} instance(s) (shown with +)")
    print(f"longest reading of a file (included in the figures above): {maxima['read']:.3f} s")
    print(
        f"RESULT instances={count} max_greedy_s={maxima['greedy']:.3f} max_mes_s={maxima['mes']:.3f} "
        f"max_mes_add1_s={maxima['mes_add1']:.3f} max_rss_mb={maxima['rss']:.0f}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
