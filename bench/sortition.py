"""Speed and fairness of the sortition engine (agora.sortition), no database.

    .venv/bin/python bench/sortition.py                 # the issue's figures (lead: full size)
    .venv/bin/python bench/sortition.py --small         # under a minute: small instances only
    .venv/bin/python bench/sortition.py --synthetic-size 5000 --only synthetic

Instances: example_small_20 and example_large_200 of the citizensassemblies-replication
data (Flanigan et al. 2021; the paper's LEXIMIN on the large one: 1,162 s with Gurobi),
the Sortition Foundation's 150-candidate fixture (panel 22), and a synthetic pool
(default 5,000 volunteers, panel 150) with 6 features and 40 quota values, skewed and
correlated the way letter-campaign volunteers are (older and more educated than the
population the quotas follow), one person per household. Each instance runs in a child
process that reports its own peak memory (max RSS); LEXIMIN, maximin and legacy (--legacy-runs
draws) are timed from the files read to the distribution. The last line is:

RESULT instances=<n> max_leximin_s=<s> max_rss_mb=<MB> min_probability_large=<p>
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "sortition"
REPLICATION = DATA / "citizensassemblies-replication"

# 6 features, 40 values: (name, values, population shares, volunteer-pool skew)
SYNTHETIC_FEATURES = [
    ("gender", ["woman", "man", "other"], [0.51, 0.48, 0.01], [0.9, 1.1, 1.0]),
    ("age", ["16-24", "25-34", "35-44", "45-54", "55-64", "65+"], [0.13, 0.16, 0.16, 0.17, 0.17, 0.21], None),
    ("district", [f"district-{i:02d}" for i in range(1, 13)], None, None),
    ("education", ["none", "secondary", "vocational", "bachelor", "master+"], [0.2, 0.3, 0.2, 0.18, 0.12], None),
    ("occupation", ["employed", "self-employed", "unemployed", "student", "retired", "homemaker", "disabled", "other"],
     [0.45, 0.08, 0.07, 0.1, 0.22, 0.04, 0.02, 0.02], None),
    ("housing", ["owner", "private-rent", "social-rent", "with-family", "student-hall", "other"],
     [0.55, 0.2, 0.15, 0.06, 0.02, 0.02], None),
]  # fmt: skip


def write_synthetic(folder: Path, size: int, panel: int, seed: int = 2021) -> tuple[Path, Path]:
    import numpy as np

    rng = np.random.default_rng(seed)
    columns = {}
    shares_by_feature = {}
    for name, values, shares, _ in SYNTHETIC_FEATURES:
        if shares is None:
            raw = np.array([1.0 / (i + 1) ** 0.6 for i in range(len(values))])
            shares = list(raw / raw.sum())
        shares_by_feature[name] = np.array(shares)
    # volunteers: older and more educated than the population, education tied to age
    age_share = shares_by_feature["age"] * np.array([0.6, 0.8, 0.9, 1.1, 1.3, 1.4])
    ages = rng.choice(6, size=size, p=age_share / age_share.sum())
    columns["age"] = ages
    education = []
    base = shares_by_feature["education"] * np.array([0.5, 0.8, 1.0, 1.5, 2.0])
    for age in ages:
        tilt = base * (np.array([1.4, 1.1, 1.0, 0.9, 0.8]) if age >= 4 else np.array([0.8, 1.0, 1.0, 1.1, 1.2]))
        education.append(rng.choice(5, p=tilt / tilt.sum()))
    columns["education"] = np.array(education)
    occupation = []
    for age in ages:
        weights = shares_by_feature["occupation"].copy()
        weights[4] *= 6.0 if age == 5 else (0.05 if age < 4 else 1.0)
        weights[3] *= 5.0 if age == 0 else 0.1
        occupation.append(rng.choice(8, p=weights / weights.sum()))
    columns["occupation"] = np.array(occupation)
    for name, _, _, skew in SYNTHETIC_FEATURES:
        if name in columns:
            continue
        weights = shares_by_feature[name] * (np.array(skew) if skew else 1.0)
        columns[name] = rng.choice(len(weights), size=size, p=weights / weights.sum())
    respondents = folder / "respondents.csv"
    with respondents.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "household"] + [f[0] for f in SYNTHETIC_FEATURES])
        for row in range(size):
            values = [f[1][columns[f[0]][row]] for f in SYNTHETIC_FEATURES]
            writer.writerow([f"v{row:05d}", f"h{row:05d}"] + values)
    categories = folder / "categories.csv"
    with categories.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["category", "feature", "min", "max"])
        for name, values, _, _ in SYNTHETIC_FEATURES:
            for index, value in enumerate(values):
                target = shares_by_feature[name][index] * panel
                writer.writerow([name, value, max(0, int(target) - 1), int(target) + 2])
    return respondents, categories


def child(respondents: str, categories: str, panel: int, household: str | None, legacy_runs: int) -> None:
    import resource

    from agora.sortition import algorithms, feasibility, pool

    out: dict = {}
    for name in ("leximin", "maximin", "legacy"):
        start = time.perf_counter()
        instance = pool.load(respondents, categories, panel, household)
        if name == "leximin":
            report = feasibility.check(instance)
            if not report.feasible:
                out["error"] = "; ".join(feasibility.describe(c) for c in report.conflicts)
                break
            out["pool"] = len(instance.people)
            out["types"] = len(instance.types())
        if name == "legacy":
            distribution = algorithms.legacy(instance, runs=legacy_runs)
        else:
            distribution = algorithms.select(instance, name)
        out[f"{name}_s"] = time.perf_counter() - start
        out[f"{name}_min"] = distribution.min_probability()
        out[f"{name}_panels"] = len(distribution.panels)
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out), flush=True)  # a line per algorithm: a timeout later keeps LEXIMIN's figures
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run_child(args: list[str], timeout: float) -> dict:
    command = [sys.executable, __file__, "--child", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as expired:
        partial = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        lines = [line for line in partial.strip().splitlines() if line.startswith("{")]
        found = json.loads(lines[-1]) if lines else {}
        return {**found, "error": f"timeout after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="small instances only (synthetic pool of 400)")
    parser.add_argument("--synthetic-size", type=int, default=5000)
    parser.add_argument("--synthetic-panel", type=int, default=150)
    parser.add_argument("--legacy-runs", type=int, default=1000)
    parser.add_argument("--only", default=None, help="run the instances whose name contains this")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per instance")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        respondents, categories, panel, household, runs = options.child
        child(respondents, categories, int(panel), household or None, int(runs))
        return
    size = 400 if options.small else options.synthetic_size
    panel = 40 if options.small else options.synthetic_panel
    folder = Path(tempfile.mkdtemp(prefix="agora-bench-sortition-"))
    synthetic = write_synthetic(folder, size, panel)
    instances = [
        ("example_small_20", REPLICATION / "example_small_20" / "respondents.csv",
         REPLICATION / "example_small_20" / "categories.csv", 20, ""),
        ("foundation_150_22", DATA / "sortition-algorithms-fixtures" / "candidates.csv",
         DATA / "sortition-algorithms-fixtures" / "features.csv", 22, ""),
        (f"synthetic_{size}_{panel}", synthetic[0], synthetic[1], panel, "household"),
    ]  # fmt: skip
    if not options.small:
        instances.insert(
            1,
            ("example_large_200", REPLICATION / "example_large_200" / "respondents.csv",
             REPLICATION / "example_large_200" / "categories.csv", 200, ""),
        )  # fmt: skip
    if options.only:
        instances = [i for i in instances if options.only in i[0]]
    print(f"{'instance':<22} {'pool':>6} {'types':>6} {'leximin_s':>10} {'min':>8} {'maximin_s':>10} "
          f"{'min':>8} {'legacy_s':>9} {'min':>8} {'rss_mb':>8}")  # fmt: skip
    rows = []
    for name, respondents, categories, seats, household in instances:
        result = run_child(
            [str(respondents), str(categories), str(seats), household, str(options.legacy_runs)], options.timeout
        )
        rows.append((name, result))
        if "error" in result and "leximin_s" not in result:
            print(f"{name:<22} ERROR {result['error']}")
            continue
        if "error" in result:
            print(f"{name:<22} (then {result['error']}: the algorithms after LEXIMIN are missing)")
        print(
            f"{name:<22} {result['pool']:>6} {result['types']:>6} {result['leximin_s']:>10.2f} "
            f"{result['leximin_min']:>8.4f} {result.get('maximin_s', float('nan')):>10.2f} "
            f"{result.get('maximin_min', float('nan')):>8.4f} {result.get('legacy_s', float('nan')):>9.2f} "
            f"{result.get('legacy_min', float('nan')):>8.4f} {result['rss_mb']:>8.0f}"
        )
    leximin_times = [r.get("leximin_s", float("inf")) for _, r in rows]
    rss = [r.get("rss_mb", 0.0) for _, r in rows]
    large = next((r.get("leximin_min") for n, r in rows if n == "example_large_200"), None)
    print(
        f"RESULT instances={len(rows)} max_leximin_s={max(leximin_times):.2f} max_rss_mb={max(rss):.0f} "
        f"min_probability_large={'na' if large is None else f'{large:.4f}'}"
    )


if __name__ == "__main__":
    main()
