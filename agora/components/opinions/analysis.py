"""The opinion map's analysis, after Polis' published method (compdemocracy/polis,
math/src/polismath/math/{conversation,pca,clusters,repness,stats}.clj), in numpy only:
no Django here, so the command, the worker and the tests call the same function.

The steps, as Polis does them (docs/opinions.md says where and why we depart):

1. The vote matrix: participants × statements, 1 agree, -1 disagree, 0 pass, NaN not
   seen. Statements moderated out count as 0 for everyone (Polis' `zero-out-columns`).
2. Participants "in the conversation": at least min(7, number of statements) votes; if
   fewer than 15 are in, the 15 who voted most (Polis' greedy rule).
3. PCA: the missing votes replaced by their statement's mean, centred, two components by
   power iteration with Gram-Schmidt deflation; every participant projected over the
   statements they voted only, scaled by sqrt(n_statements / n_votes), which pushes people
   who voted little away from the centre as much as those who voted much.
4. Base clusters: k-means with k = 100 on the positions of the participants in the
   conversation, started from the first 100 distinct positions (participants in their
   order), at most 100 rounds, stopped when no centre moves by 0.01.
5. Groups: k-means of the base clusters' centres weighted by their sizes, for k = 2 up to
   min(5, 2 + base clusters / 12), each started from the first k distinct centres; the k with
   the best silhouette (over base clusters) wins; a `previous` smoother state keeps the
   former k until a new k has won `k_buffer` updates in a row (Polis' group-k smoother).
6. Representative statements per group (Polis' repness: agree/disagree rates with a +1/+2
   prior, one-proportion and two-proportion z-tests at 90 %, at most 5 per group with the
   best agreed one first) and consensus statements (agreed, or disagreed, by more than half
   with a significant test, at most 5 each), plus Polis' group-aware consensus (product of
   the groups' agree rates) that shows what all groups share.

Reproducible: no randomness at all (deterministic starts), order fixed by the ids given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Z_90 = 1.2816
BASE_K = 100
MAX_K = 5
GROUP_K_BUFFER = 4
MIN_VOTES = 7
GREEDY_N = 15
RESTARTS = 5
SEED = 2014
REPLAY_STEPS = 10


# ---------------------------------------------------------------- the matrix


@dataclass
class VoteMatrix:
    participants: list[Any]
    statements: list[Any]
    values: np.ndarray  # float64, NaN for no vote

    @classmethod
    def from_votes(
        cls,
        votes: Iterable[tuple[Any, Any, int]],
        participants: Sequence[Any] | None = None,
        statements: Sequence[Any] | None = None,
    ) -> VoteMatrix:
        """Build from (participant, statement, vote) triples. Without explicit orders the
        participants and statements are sorted (stable and reproducible)."""
        triples = list(votes)
        if participants is None:
            participants = sorted({p for p, _s, _v in triples})
        if statements is None:
            statements = sorted({s for _p, s, _v in triples})
        row = {p: i for i, p in enumerate(participants)}
        col = {s: j for j, s in enumerate(statements)}
        values = np.full((len(participants), len(statements)), np.nan)
        if triples:
            rows = np.fromiter((row[p] for p, s, v in triples if p in row and s in col), dtype=np.int64)
            cols = np.fromiter((col[s] for p, s, v in triples if p in row and s in col), dtype=np.int64)
            vals = np.fromiter((float(v) for p, s, v in triples if p in row and s in col), dtype=np.float64)
            values[rows, cols] = np.sign(vals)
        return cls(list(participants), list(statements), values)

    @classmethod
    def from_arrays(
        cls, participants: Sequence[Any], statements: Sequence[Any], rows: Iterable[tuple[int, int, int]]
    ) -> VoteMatrix:
        """From (participant, statement, vote) rows of integer ids, in the orders given
        (a million rows from the database without a Python dict per row); rows of
        unknown ids are left out."""
        data = np.fromiter((x for row in rows for x in row), dtype=np.int64).reshape(-1, 3)
        values = np.full((len(participants), len(statements)), np.nan)
        if len(data) and len(participants) and len(statements):
            participant_ids = np.asarray(participants, dtype=np.int64)
            statement_ids = np.asarray(statements, dtype=np.int64)
            p_order = np.argsort(participant_ids, kind="stable")
            s_order = np.argsort(statement_ids, kind="stable")
            p_pos = np.searchsorted(participant_ids, data[:, 0], sorter=p_order)
            s_pos = np.searchsorted(statement_ids, data[:, 1], sorter=s_order)
            p_pos = np.minimum(p_pos, len(participant_ids) - 1)
            s_pos = np.minimum(s_pos, len(statement_ids) - 1)
            rows_at, cols_at = p_order[p_pos], s_order[s_pos]
            known = (participant_ids[rows_at] == data[:, 0]) & (statement_ids[cols_at] == data[:, 1])
            values[rows_at[known], cols_at[known]] = np.sign(data[known, 2])
        return cls(list(participants), list(statements), values)

    def vote_count(self) -> int:
        return int((~np.isnan(self.values)).sum())


# ---------------------------------------------------------------- PCA


def pca(imputed: np.ndarray, n_comps: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Centre and components (rows) of a complete matrix (see `components`)."""
    center = imputed.mean(axis=0)
    return center, components(imputed - center, n_comps)


def components(centred: np.ndarray, n_comps: int = 2, iters: int = 2000, tol: float = 1e-9) -> np.ndarray:
    """The first components (rows) of a centred matrix by power iteration, as Polis'
    powerit-pca, run on the statements' scatter matrix (statements × statements: what
    Polis' xtxr computes row by row), for the components together (block power iteration
    with re-orthonormalisation, which is Polis' Gram-Schmidt deflation done at every step)
    until the plane they span stops moving, then ordered by variance (Rayleigh-Ritz).
    Polis carries its vectors from one update to the next, which converges to the same
    plane; we start from fixed vectors. Only the plane matters to the groups (k-means and
    silhouette are distances, unchanged by a rotation)."""
    n_cols = centred.shape[1]
    n = min(n_comps, n_cols, centred.shape[0])
    result = np.zeros((n_comps, n_cols))
    if n == 0:
        return result
    scatter = (centred.T @ centred).astype(np.float64)
    starts = np.vstack(
        [np.ones(n_cols), np.cos(np.arange(n_cols) * 1.7 + 0.3)]
        + [np.sin(np.arange(n_cols) * (i + 2.3)) for i in range(max(0, n - 2))]
    )[:n].T
    basis, _r = np.linalg.qr(starts)
    for _ in range(iters):
        product = scatter @ basis
        if not product.any():
            break
        new_basis, _r = np.linalg.qr(product)
        # distance between the planes: what is left of the new basis outside the old one
        moved = np.linalg.norm(new_basis - basis @ (basis.T @ new_basis))
        basis = new_basis
        if moved < tol:
            break
    small = basis.T @ scatter @ basis
    eigenvalues, rotation = np.linalg.eigh(small)
    order = np.argsort(-eigenvalues, kind="stable")
    comps = (basis @ rotation[:, order]).T
    result[:n] = comps
    # a stable sign: the largest coordinate of each component is positive
    for i in range(n):
        if result[i].any() and result[i][np.argmax(np.abs(result[i]))] < 0:
            result[i] = -result[i]
    return result


def vote_counts_all(values: np.ndarray) -> np.ndarray:
    """Votes per participant, moderated-out statements included (Polis counts their zeros)."""
    return (~np.isnan(values)).sum(axis=1)


def project(values: np.ndarray, center: np.ndarray, comps: np.ndarray) -> np.ndarray:
    """Polis' sparsity-aware projection: over the statements each participant voted on
    only, scaled by sqrt(n_statements / n_votes)."""
    voted = ~np.isnan(values)
    centred = np.where(voted, values - center, 0.0)
    raw = centred @ comps.T
    n_votes = voted.sum(axis=1)
    scale = np.sqrt(values.shape[1] / np.maximum(n_votes, 1))
    return raw * scale[:, None]


# ---------------------------------------------------------------- k-means


def _first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """Polis' init-clusters: the first k distinct rows, in order."""
    chosen: list[np.ndarray] = []
    seen: set[bytes] = set()
    for point in points:
        key = np.round(point, 12).tobytes()
        if key in seen:
            continue
        seen.add(key)
        chosen.append(point)
        if len(chosen) == k:
            break
    return np.array(chosen).reshape(len(chosen), points.shape[1])


def kmeans(
    points: np.ndarray,
    centers: np.ndarray,
    weights: np.ndarray | None = None,
    max_iters: int = 20,
    threshold: float = 0.01,
) -> tuple[np.ndarray, np.ndarray]:
    """Polis' k-means: assign each point to its closest centre, drop empty clusters,
    recentre (weighted mean); stop when every centre moved less than `threshold` or after
    `max_iters` rounds. Returns (labels, centres); labels index the returned centres, whose
    order is the order of the starting centres (Polis sorts clusters by id)."""
    if weights is None:
        weights = np.ones(len(points))
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max_iters + 1):
        # squared distances without the (points × centres × dimensions) array
        distances = (points**2).sum(axis=1)[:, None] - 2 * points @ centers.T + (centers**2).sum(axis=1)[None, :]
        labels = np.argmin(distances, axis=1)
        mass = np.bincount(labels, weights=weights, minlength=len(centers))
        used = np.flatnonzero(np.bincount(labels, minlength=len(centers)))
        sums = np.vstack(
            [
                np.bincount(labels, weights=weights * points[:, d], minlength=len(centers))
                for d in range(points.shape[1])
            ]
        ).T
        new_centers = sums[used] / mass[used][:, None]
        remap = np.full(len(centers), -1)
        remap[used] = np.arange(len(used))
        labels = remap[labels]
        same = len(used) == len(centers) and bool(
            np.all(np.linalg.norm(np.sort(new_centers, axis=0) - np.sort(centers, axis=0), axis=1) < threshold)
        )
        centers = new_centers
        if same:
            break
    return labels, centers


def _grow(points: np.ndarray, centers: np.ndarray, k: int) -> np.ndarray:
    """Polis' clean-start-clusters: from the former centres, add the most distant point
    as a new centre until there are k (or no point is apart)."""
    chosen = [c for c in np.asarray(centers, dtype=float).reshape(-1, points.shape[1])][:k]
    if not chosen:
        return _first_distinct(points, k)
    while len(chosen) < k:
        gaps = np.min(((points[:, None, :] - np.array(chosen)[None, :, :]) ** 2).sum(axis=2), axis=1)
        index = int(np.argmax(gaps))
        if gaps[index] == 0:
            break
        chosen.append(points[index])
    return np.array(chosen)


def _inertia(points: np.ndarray, weights: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> float:
    return float((weights * ((points - centers[labels]) ** 2).sum(axis=1)).sum())


def group_kmeans(
    points: np.ndarray, weights: np.ndarray, k: int, start: np.ndarray, restarts: int = RESTARTS
) -> tuple[np.ndarray, np.ndarray]:
    """The groups for one k: Polis' k-means from `start` (the former centres, or the
    first distinct points), and `restarts` more runs from k-means++ starts drawn with a fixed
    seed; the run with the smallest weighted inertia wins. Polis reaches good solutions by
    refining its clusters at every update; the restarts stand in for that history when
    there is little of it (docs/opinions.md)."""
    labels, centers = kmeans(points, start, weights=weights, max_iters=20)
    best = (_inertia(points, weights, labels, centers), labels, centers)
    rng = np.random.default_rng(SEED + k)
    total = weights.sum()
    for _ in range(restarts):
        chosen = [points[rng.choice(len(points), p=weights / total)]]
        for _ in range(k - 1):
            gaps = np.min(((points[:, None, :] - np.array(chosen)[None, :, :]) ** 2).sum(axis=2), axis=1) * weights
            if gaps.sum() <= 0:
                break
            chosen.append(points[rng.choice(len(points), p=gaps / gaps.sum())])
        labels, centers = kmeans(points, np.array(chosen), weights=weights, max_iters=20)
        if len(centers) < min(k, len(best[2])):
            continue
        inertia = _inertia(points, weights, labels, centers)
        if inertia < best[0] - 1e-9:
            best = (inertia, labels, centers)
    return best[1], best[2]


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Polis' silhouette over the base clusters (unweighted mean; 0 for a member alone
    in its group)."""
    values = []
    groups = np.unique(labels)
    if len(groups) < 2:
        return 0.0
    for i in range(len(labels)):
        own = labels == labels[i]
        own_others = own.copy()
        own_others[i] = False
        if not own_others.any():
            values.append(0.0)
            continue
        a = distances[i, own_others].mean()
        b = min(distances[i, labels == g].mean() for g in groups if g != labels[i])
        top = max(a, b)
        values.append(0.0 if top == 0 else (b - a) / top)
    return float(np.mean(values))


# ---------------------------------------------------------------- statistics (Polis' stats.clj)


def prop_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    succ = successes + 1.0
    n = trials + 1.0
    return 2 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(succ_in: np.ndarray, succ_out: np.ndarray, pop_in: np.ndarray, pop_out: np.ndarray) -> np.ndarray:
    succ_in, succ_out, pop_in, pop_out = (
        np.asarray(x, dtype=float) + 1.0 for x in (succ_in, succ_out, pop_in, pop_out)
    )
    pi1 = succ_in / pop_in
    pi2 = succ_out / pop_out
    pi_hat = (succ_in + succ_out) / (pop_in + pop_out)
    denominator = np.sqrt(pi_hat * (1 - pi_hat) * (1 / pop_in + 1 / pop_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(pi_hat >= 1, 0.0, (pi1 - pi2) / np.where(denominator == 0, 1, denominator))
    return z


# ---------------------------------------------------------------- the whole analysis


@dataclass
class Analysis:
    participants: list[Any]
    statements: list[Any]
    positions: np.ndarray  # (participants, 2)
    in_conversation: np.ndarray  # bool per participant
    groups: dict[Any, int]  # participant id -> group (only those placed)
    k: int
    silhouettes: dict[int, float]
    state: dict[str, Any]  # what the next update starts from (JSON)
    group_sizes: list[int]
    group_votes: list[dict[Any, dict[str, int]]]  # per group: statement -> {"agree","disagree","seen"}
    representative: list[list[dict[str, Any]]]
    consensus: dict[str, list[dict[str, Any]]]
    group_consensus: dict[Any, float]
    base_centers: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 2)))
    explained: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "groups": {str(p): g for p, g in self.groups.items()},
            "positions": {
                str(p): [round(float(x), 4), round(float(y), 4)]
                for p, (x, y), inside in zip(self.participants, self.positions, self.in_conversation)
                if inside
            },
            "silhouettes": {str(k): round(v, 4) for k, v in self.silhouettes.items()},
            "smoother": self.state.get("smoother", {}),
            "group_sizes": self.group_sizes,
            "group_votes": [{str(s): counts for s, counts in votes.items()} for votes in self.group_votes],
            "representative": self.representative,
            "consensus": self.consensus,
            "group_consensus": {str(s): round(v, 4) for s, v in self.group_consensus.items()},
        }


def _in_conversation(vote_counts: np.ndarray, n_statements: int, min_votes: int) -> np.ndarray:
    inside = vote_counts >= min(min_votes, n_statements)
    inside &= vote_counts > 0
    if inside.sum() < GREEDY_N:
        # Polis' greedy rule: the 15 who voted most (stable: earlier participants first)
        order = np.argsort(-vote_counts, kind="stable")
        for index in order:
            if inside.sum() >= GREEDY_N or vote_counts[index] == 0:
                break
            inside[index] = True
    return inside


def _vote_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    agree = (values == 1).sum(axis=0)
    disagree = (values == -1).sum(axis=0)
    seen = (~np.isnan(values)).sum(axis=0)
    return agree, disagree, seen


def _statement_stats(tid: Any, n_success: int, n_trials: int, p: float, p_test: float) -> dict[str, Any]:
    return {
        "statement": tid,
        "n_success": int(n_success),
        "n_trials": int(n_trials),
        "p_success": round(float(p), 4),
        "p_test": round(float(p_test), 4),
    }


def representative_statements(
    values: np.ndarray, statements: Sequence[Any], labels: np.ndarray, k: int, moderated_out: set
) -> list[list[dict[str, Any]]]:
    """Polis' conv-repness + select-rep-comments."""
    per_group = [_vote_counts(values[labels == g]) for g in range(k)]
    total_a = sum(c[0] for c in per_group)
    total_d = sum(c[1] for c in per_group)
    total_s = sum(c[2] for c in per_group)
    result = []
    for g in range(k):
        na, nd, ns = per_group[g]
        ra_n, rd_n, rs_n = total_a - na, total_d - nd, total_s - ns
        pa = (1 + na) / (2 + ns)
        pd = (1 + nd) / (2 + ns)
        pat = prop_test(na, ns)
        pdt = prop_test(nd, ns)
        ra = pa / ((1 + ra_n) / (2 + rs_n))
        rd = pd / ((1 + rd_n) / (2 + rs_n))
        rat = two_prop_test(na, ra_n, ns, rs_n)
        rdt = two_prop_test(nd, rd_n, ns, rs_n)

        def finalize(j: int, agree: bool = False) -> dict[str, Any]:
            agree_side = agree or rat[j] > rdt[j]
            stats = _statement_stats(
                statements[j],
                na[j] if agree_side else nd[j],
                ns[j],
                pa[j] if agree_side else pd[j],
                pat[j] if agree_side else pdt[j],
            )
            stats["repness"] = round(float(ra[j] if agree_side else rd[j]), 4)
            stats["repness_test"] = round(float(rat[j] if agree_side else rdt[j]), 4)
            stats["repful_for"] = "agree" if agree_side else "disagree"
            return stats

        sufficient: list[int] = []
        best: int | None = None
        best_agree: int | None = None
        for j, tid in enumerate(statements):
            if tid in moderated_out:
                continue
            if (rat[j] > Z_90 and pat[j] > Z_90) or (rdt[j] > Z_90 and pdt[j] > Z_90):
                sufficient.append(j)
            if not sufficient and (best is None or max(rat[j], rdt[j]) > max(rat[best], rdt[best])):
                best = j
            # Polis' beats-best-agr?
            if na[j] == 0 and nd[j] == 0:
                better = False
            elif best_agree is not None and ra[best_agree] > 1.0:
                b = best_agree
                better = ra[j] * rat[j] * pa[j] * pat[j] > ra[b] * rat[b] * pa[b] * pat[b]
            elif best_agree is not None:
                better = pa[j] * pat[j] > pa[best_agree] * pat[best_agree]
            else:
                better = bool(pat[j] > Z_90 or (ra[j] > 1.0 and pa[j] > 0.5))
            if better:
                best_agree = j
        head: list[dict[str, Any]] = []
        if best_agree is not None:
            # shown as agreed (Polis' client shows its agree count)
            entry = finalize(best_agree, agree=True)
            entry["best_agree"] = True
            head = [entry]
        elif best is not None:
            head = [finalize(best)]
        if not sufficient:
            chosen = head
        else:
            ranked = [finalize(j) for j in sufficient if j != best_agree]
            ranked.sort(key=lambda s: -(s["repness"] * s["repness_test"] * s["p_success"] * s["p_test"]))
            chosen = (head + ranked)[:5]
            chosen = [s for s in chosen if s["repful_for"] == "agree"] + [
                s for s in chosen if s["repful_for"] == "disagree"
            ]
        result.append(chosen)
    return result


def consensus_statements(
    values: np.ndarray, statements: Sequence[Any], moderated_out: set
) -> dict[str, list[dict[str, Any]]]:
    """Polis' consensus-stats + select-consensus-comments, over every participant."""
    na, nd, ns = _vote_counts(values)
    pa = (1 + na) / (2 + ns)
    pd = (1 + nd) / (2 + ns)
    pat = prop_test(na, ns)
    pdt = prop_test(nd, ns)
    result: dict[str, list[dict[str, Any]]] = {}
    for side, n, p, t in (("agree", na, pa, pat), ("disagree", nd, pd, pdt)):
        keep = [j for j, tid in enumerate(statements) if tid not in moderated_out and p[j] > 0.5 and t[j] > Z_90]
        keep.sort(key=lambda j: (-(p[j] * t[j]), j))
        result[side] = [_statement_stats(statements[j], n[j], ns[j], p[j], t[j]) for j in keep[:5]]
    return result


def analyse(
    matrix: VoteMatrix,
    moderated_out: Iterable[Any] = (),
    min_votes: int = MIN_VOTES,
    previous: dict[str, Any] | None = None,
    base_k: int = BASE_K,
    max_k: int = MAX_K,
    k_buffer: int = GROUP_K_BUFFER,
    restarts: int = RESTARTS,
) -> Analysis:
    """One Polis update on the vote matrix. `previous` is the `state` of the former
    update (k smoother, base and group centres; JSON), None for a first one: as in Polis,
    the clusters start from the former ones and the number of groups changes only when a
    new number wins `k_buffer` updates in a row."""
    moderated = set(moderated_out)
    raw = matrix.values
    n_participants, n_statements = raw.shape
    vote_counts = (~np.isnan(raw)).sum(axis=1)
    zeroed = [j for j, tid in enumerate(matrix.statements) if tid in moderated]
    values = raw
    if zeroed:
        values = raw.copy()
        values[:, zeroed] = 0.0
    empty = Analysis(
        matrix.participants,
        matrix.statements,
        np.zeros((n_participants, 2)),
        np.zeros(n_participants, dtype=bool),
        {},
        0,
        {},
        {"smoother": dict((previous or {}).get("smoother", {}))},
        [],
        [],
        [],
        consensus_statements(values, matrix.statements, moderated) if n_statements else {"agree": [], "disagree": []},
        {},
    )
    if n_participants == 0 or n_statements == 0:
        return empty
    # 1. missing votes -> the statement's mean over those who voted; the imputed matrix's
    # column means are those means, so once centred a missing vote is a 0: one array only
    seen = ~np.isnan(values)
    counts = seen.sum(axis=0)
    means = np.divide(np.nansum(values, axis=0), counts, out=np.zeros(n_statements), where=counts > 0)
    # float32: votes are -1, 0, 1 and means; halves the memory and the time of the scatter
    centred = np.where(seen, values - means, 0.0).astype(np.float32)
    del seen
    # 2. PCA and projection (over the votes cast only: the same centred array)
    comps = components(centred)
    raw_positions = (centred @ comps.T.astype(np.float32)).astype(np.float64)
    total_variance = float(np.einsum("ij,ij->", centred, centred, dtype=np.float64)) or 1.0
    explained = [float(raw_positions[:, i] @ raw_positions[:, i]) / total_variance for i in range(len(comps))]
    del centred
    positions = raw_positions * np.sqrt(n_statements / np.maximum(vote_counts_all(values), 1))[:, None]
    inside = _in_conversation(vote_counts, n_statements, min_votes)
    empty.positions = positions
    empty.in_conversation = inside
    empty.explained = explained
    members = np.flatnonzero(inside)
    if len(members) < 2:
        return empty
    # 3. base clusters
    points = positions[members]
    state = previous or {}
    former_base = np.asarray(state.get("base_centers") or [], dtype=float)
    distinct = len(np.unique(np.round(points, 12), axis=0))
    base_start = (
        _grow(points, former_base, min(base_k, distinct)) if len(former_base) else _first_distinct(points, base_k)
    )
    base_labels, base_centers = kmeans(points, base_start, max_iters=100)
    base_sizes = np.bincount(base_labels, minlength=len(base_centers)).astype(float)
    n_base = len(base_centers)
    if n_base < 2:
        return empty
    # 4. groups: k-means of the base clusters for each k, silhouette, smoother
    distances = np.sqrt(((base_centers[:, None, :] - base_centers[None, :, :]) ** 2).sum(axis=2))
    top_k = min(max_k, 2 + n_base // 12, n_base)
    clusterings: dict[int, np.ndarray] = {}
    group_centers: dict[str, list[list[float]]] = {}
    silhouettes: dict[int, float] = {}
    former_groups = state.get("group_centers") or {}
    for k in range(2, top_k + 1):
        former = np.asarray(former_groups.get(str(k)) or [], dtype=float)
        start = _grow(base_centers, former, k) if len(former) else _first_distinct(base_centers, k)
        labels, centers = group_kmeans(base_centers, base_sizes, k, start, restarts)
        clusterings[k] = labels
        group_centers[str(k)] = centers.tolist()
        silhouettes[k] = silhouette(distances, labels)
    # max-key in Clojure keeps the last of equal maxima
    this_k = max(silhouettes, key=lambda k: (silhouettes[k], k))
    former_smoother = state.get("smoother") or {}
    same = former_smoother.get("last_k") == this_k
    this_count = former_smoother.get("last_k_count", 0) + 1 if same else 1
    smoothed = former_smoother.get("smoothed_k")
    if this_count >= k_buffer or smoothed is None or smoothed not in clusterings:
        smoothed = this_k
    new_state = {
        "smoother": {"last_k": this_k, "last_k_count": this_count, "smoothed_k": int(smoothed)},
        "base_centers": base_centers.tolist(),
        "group_centers": group_centers,
    }
    group_of_base = clusterings[int(smoothed)]
    k = int(group_of_base.max()) + 1
    participant_group = np.full(n_participants, -1)
    participant_group[members] = group_of_base[base_labels]
    # groups numbered by their first member (stable), as Polis numbers them by base id
    order: list[int] = []
    for g in participant_group[members]:
        if g not in order:
            order.append(int(g))
    renumber = {old: new for new, old in enumerate(order)}
    participant_group = np.array([renumber.get(int(g), -1) if g >= 0 else -1 for g in participant_group])
    groups = {matrix.participants[i]: int(participant_group[i]) for i in members}
    # 5. group votes, representative and consensus statements (on the raw votes, as Polis'
    # rating matrix: not seen stays not seen; moderated-out columns are zeros)
    group_votes = []
    for g in range(k):
        a, d, s = _vote_counts(values[participant_group == g])
        group_votes.append(
            {
                tid: {"agree": int(a[j]), "disagree": int(d[j]), "seen": int(s[j])}
                for j, tid in enumerate(matrix.statements)
            }
        )
    representative = representative_statements(values, matrix.statements, participant_group, k, moderated)
    group_consensus = {}
    for j, tid in enumerate(matrix.statements):
        if tid in moderated:
            continue
        product = 1.0
        for g in range(k):
            counts_g = group_votes[g][tid]
            product *= (counts_g["agree"] + 1.0) / (counts_g["seen"] + 2.0)
        group_consensus[tid] = product
    return Analysis(
        participants=matrix.participants,
        statements=matrix.statements,
        positions=positions,
        in_conversation=inside,
        groups=groups,
        k=k,
        silhouettes=silhouettes,
        state=new_state,
        group_sizes=[int((participant_group == g).sum()) for g in range(k)],
        group_votes=group_votes,
        representative=representative,
        consensus=empty.consensus,
        group_consensus=group_consensus,
        base_centers=base_centers,
        explained=explained,
    )


def analyse_replayed(
    matrix: VoteMatrix,
    moderated_out: Iterable[Any] = (),
    min_votes: int = MIN_VOTES,
    steps: int = REPLAY_STEPS,
    **options: Any,
) -> Analysis:
    """A conversation analysed at once (an imported file, the command): Polis' groups
    depend on the updates that led to them, so replay `steps` updates, participants
    joining in their order (their ids' order in Polis' exports), each update starting
    from the former one's state, and return the last."""
    total = len(matrix.participants)
    cuts = sorted({max(1, round(total * (i + 1) / steps)) for i in range(max(1, steps))})
    state: dict[str, Any] | None = None
    result = None
    for cut in cuts:
        partial = VoteMatrix(matrix.participants[:cut], matrix.statements, matrix.values[:cut])
        result = analyse(partial, moderated_out, min_votes, previous=state, **options)
        if result.k:
            state = result.state
    assert result is not None
    return result


# ---------------------------------------------------------------- Polis' open-data format


def read_participants_votes(lines: Iterable[str]) -> tuple[VoteMatrix, dict[Any, str]]:
    """Parse a Polis `participants-votes.csv`; returns the matrix and Polis' group-id of
    each participant ('' when not placed)."""
    import csv

    reader = csv.reader(lines)
    header = next(reader)
    first_statement = header.index("n-disagree") + 1 if "n-disagree" in header else 6
    statements = [_as_id(h) for h in header[first_statement:]]
    participants: list[Any] = []
    polis_groups: dict[Any, str] = {}
    rows: list[list[float]] = []
    for record in reader:
        if not record or not record[0].strip():
            continue
        pid = _as_id(record[0])
        participants.append(pid)
        polis_groups[pid] = record[1].strip() if len(record) > 1 else ""
        cells = record[first_statement:] + [""] * (len(statements) - len(record[first_statement:]))
        rows.append([_vote(c) for c in cells[: len(statements)]])
    values = np.array(rows, dtype=float).reshape(len(participants), len(statements))
    return VoteMatrix(participants, statements, values), polis_groups


def read_moderated_out(lines: Iterable[str]) -> set[Any]:
    """The statements a Polis `comments.csv` marks moderated out (-1)."""
    import csv

    return {_as_id(row["comment-id"]) for row in csv.DictReader(lines) if row.get("moderated", "").strip() == "-1"}


def _as_id(text: str) -> Any:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


def _vote(cell: str) -> float:
    cell = cell.strip()
    if not cell:
        return math.nan
    return float(np.sign(float(cell)))
