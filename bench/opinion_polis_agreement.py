"""Our opinion groups against Polis' on the published conversations (issue 23): per
conversation the number of groups (ours, Polis') and scikit-learn's adjusted Rand index
over the participants both place in a group. Reads ../shared/data/polis by default.

    .venv/bin/python bench/opinion_polis_agreement.py [folder ...]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from agora.components.opinions import analysis  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "polis"


def compare(folder: Path) -> dict:
    with open(folder / "participants-votes.csv", encoding="utf-8") as handle:
        matrix, polis = analysis.read_participants_votes(handle)
    moderated = set()
    if (folder / "comments.csv").exists():
        with open(folder / "comments.csv", encoding="utf-8") as handle:
            moderated = analysis.read_moderated_out(handle)
    started = time.perf_counter()
    result = analysis.analyse_replayed(matrix, moderated_out=moderated)
    seconds = time.perf_counter() - started
    both = [p for p in matrix.participants if polis.get(p, "") != "" and p in result.groups]
    polis_k = len({polis[p] for p in polis if polis[p] != ""})
    ari = adjusted_rand_score([polis[p] for p in both], [result.groups[p] for p in both]) if both else 0.0
    return {
        "name": folder.name,
        "k": result.k,
        "polis_k": polis_k,
        "ari": ari,
        "compared": len(both),
        "polis_placed": sum(1 for g in polis.values() if g != ""),
        "seconds": seconds,
        "silhouettes": result.silhouettes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args()
    folders = args.folders or sorted(p for p in DEFAULT.iterdir() if (p / "participants-votes.csv").exists())
    rows = [compare(folder) for folder in folders]
    print(f"{'conversation':32} {'k':>3} {'polis':>5} {'ARI':>6} {'compared':>9} {'s':>6}  silhouettes")
    for row in rows:
        sil = " ".join(f"{k}:{v:.3f}" for k, v in row["silhouettes"].items())
        print(
            f"{row['name']:32} {row['k']:>3} {row['polis_k']:>5} {row['ari']:>6.3f} "
            f"{row['compared']:>4}/{row['polis_placed']:<4} {row['seconds']:>6.2f}  {sil}"
        )
    same_k = sum(1 for row in rows if row["k"] == row["polis_k"])
    median = statistics.median(row["ari"] for row in rows) if rows else 0.0
    print(f"RESULT conversations={len(rows)} same_k={same_k} median_ari={median:.3f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
