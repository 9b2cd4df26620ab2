"""The selection algorithms. Each returns a `Distribution`: panels (as a number of
members per type) with whole-number weights; a panel is drawn from it with the
verifiable procedure of `draw`, and a volunteer of type t is selected with
probability sum over panels of weight * count_t / members of t / total weight.

- LEXIMIN (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 596, 2021): among
  all distributions over the panels that satisfy the quotas, the one whose
  smallest selection probability is the largest, then the next smallest, and so
  on. Computed by column generation: a linear program over the panels found so
  far (in its dual form: weights y on the types), and an integer program that
  finds the panel of largest weight; when none improves, the types whose weight
  is positive cannot do better and are fixed, and the next round raises the others.
- maximin: the first round of LEXIMIN only (the smallest probability is as large
  as possible, the others are whatever the solver's vertex gives).
- legacy: the greedy method used by selection organisations before 2021 (the
  feature value furthest from its minimum first, a volunteer among those who have
  it drawn uniformly, values at their maximum closed); its distribution is the
  empirical one over `runs` draws, which estimates each volunteer's probability.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import highspy
import numpy as np

from agora.sortition import VERSION
from agora.sortition.pool import Instance, sha256_hex
from agora.sortition.randomness import Stream
from agora.sortition.solver import INF, PanelSearch, new_highs, run_highs

ALGORITHMS = ("leximin", "maximin", "legacy")
WEIGHT_SCALE = 10**9  # a distribution's probabilities as whole numbers out of about this
EPS = 1e-7  # a panel improves the program when its weight exceeds the bound by more
# a type is fixed this far below its level: the solver meets constraints within 1e-7 only
FIX_MARGIN = 1e-6
LEGACY_RUNS = 1000

Progress = Callable[[str, float], None]


class InfeasibleError(ValueError):
    """No panel satisfies the quotas (run `feasibility.check` for the reasons)."""


@dataclass
class Distribution:
    instance: Instance
    algorithm: str
    panels: list[tuple[int, ...]]  # counts per type, in `instance.types()` order; sorted
    weights: list[int]  # positive, same order
    seconds: float = 0.0

    @property
    def total_weight(self) -> int:
        return sum(self.weights)

    def type_probabilities(self) -> list[Fraction]:
        types = self.instance.types()
        total = self.total_weight
        sums = [0] * len(types)
        for panel, weight in zip(self.panels, self.weights, strict=True):
            for index, count in enumerate(panel):
                if count:
                    sums[index] += weight * count
        return [Fraction(sums[i], total * t.count) for i, t in enumerate(types)]

    def probabilities(self) -> dict[str, float]:
        """Each volunteer's selection probability, by id."""
        result = {}
        for t, probability in zip(self.instance.types(), self.type_probabilities(), strict=True):
            for member in t.members:
                result[member] = float(probability)
        return dict(sorted(result.items()))

    def min_probability(self) -> float:
        return float(min(self.type_probabilities()))

    def document(self) -> dict:
        """What is published before the draw and hashed: the pool's hash, the quotas,
        the algorithm and its version, the types (values, members) and the panels."""
        instance = self.instance
        return {
            "format": "agora-sortition-distribution/1",
            "algorithm": self.algorithm,
            "version": VERSION,
            "pool_sha256": instance.pool_sha256(),
            "quotas": instance.canonical_quotas(),
            "types": [{"values": list(t.values), "members": list(t.members)} for t in instance.types()],
            "panels": [{"counts": list(p), "weight": w} for p, w in zip(self.panels, self.weights, strict=True)],
        }

    def sha256(self) -> str:
        return sha256_hex(self.document())


def _integer_weights(instance: Instance, algorithm: str, columns: dict[tuple[int, ...], float]) -> Distribution:
    merged: dict[tuple[int, ...], int] = {}
    for panel, share in columns.items():
        weight = int(round(share * WEIGHT_SCALE))
        if weight > 0:
            merged[panel] = merged.get(panel, 0) + weight
    if not merged:
        raise InfeasibleError("no panel satisfies the quotas")
    panels = sorted(merged)
    return Distribution(instance, algorithm, panels, [merged[p] for p in panels])


class _Columns:
    """The panels found so far and the dual program of the rounds of LEXIMIN:
    minimise yhat - sum_{fixed t} f_t y_t  subject to, for each panel P,
    sum_t (x_Pt / c_t) y_t <= yhat, and sum_{free t} y_t = 1, y >= 0."""

    def __init__(self, instance: Instance, search: PanelSearch):
        self.instance = instance
        self.search = search
        self.counts = np.array([t.count for t in instance.types()], dtype=float)
        self.panels: list[tuple[int, ...]] = []
        self.known: set[tuple[int, ...]] = set()

    def add(self, panel: tuple[int, ...]) -> bool:
        if panel in self.known:
            return False
        self.known.add(panel)
        self.panels.append(panel)
        return True

    def seed(self) -> list[int]:
        """First panels: each maximises the seats of types no panel has yet, until one
        adds none; then each type still without a panel is tried alone. Returns the
        types that no panel can contain (their probability is 0)."""
        size = len(self.counts)
        covered = np.zeros(size, dtype=bool)
        while not covered.all():
            found = self.search.best(np.where(covered, 0.0, 1.0))
            if found is None:
                raise InfeasibleError("no panel satisfies the quotas")
            panel = np.array(found[1])
            if not (panel[~covered] > 0).any():
                break
            self.add(found[1])
            covered |= panel > 0
        if not self.panels:  # every type is covered by... nothing: a single panel anyway
            found = self.search.best(np.zeros(size))
            if found is None:
                raise InfeasibleError("no panel satisfies the quotas")
            self.add(found[1])
        impossible = []
        for index in range(size):
            if covered[index]:
                continue
            target = np.zeros(size)
            target[index] = 1.0
            found = self.search.best(target)
            if found is None or found[1][index] == 0:
                impossible.append(index)
                continue
            self.add(found[1])
            covered |= np.array(found[1]) > 0
        return impossible

    def shares(self, panel: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        index = [i for i, c in enumerate(panel) if c]
        return np.asarray(index, dtype=np.int32), np.array([panel[i] / self.counts[i] for i in index])

    def round(self, fixed: dict[int, float], free: list[int], progress: Progress | None) -> tuple[float, list[int]]:
        """Raise the smallest probability of the free types as far as it goes;
        returns it and the free types that cannot exceed it."""
        size = len(self.counts)
        highs = new_highs(warm=True)
        for index in range(size):
            highs.addVar(0.0, INF)
        highs.addVar(-INF, INF)  # yhat
        costs = np.zeros(size + 1)
        for index, value in fixed.items():
            costs[index] = -value
        costs[size] = 1.0
        highs.changeColsCost(size + 1, np.arange(size + 1, dtype=np.int32), costs)
        highs.addRow(1.0, 1.0, len(free), np.asarray(free, dtype=np.int32), np.ones(len(free)))

        def add_row(panel: tuple[int, ...]) -> None:
            index, values = self.shares(panel)
            highs.addRow(
                -INF, 0.0, len(index) + 1, np.append(index, np.int32(size)).astype(np.int32), np.append(values, -1.0)
            )

        for panel in self.panels:
            add_row(panel)
        iterations = 0
        while True:
            run_highs(highs)
            if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                status = highs.modelStatusToString(highs.getModelStatus())
                raise InfeasibleError(f"the linear program of LEXIMIN has no optimum ({status})")
            solution = np.array(highs.getSolution().col_value)
            y, yhat = np.maximum(solution[:size], 0.0), solution[size]
            _, found = self.search.improving(y / self.counts, yhat, EPS)
            iterations += 1
            added = [panel for panel in found if self.add(panel)]
            if not added:
                break
            for panel in added:
                add_row(panel)
            if progress and iterations % 20 == 0:
                progress(f"column generation: {len(self.panels)} panels", -1.0)
        level = float(highs.getInfo().objective_function_value)
        stuck = [index for index in free if y[index] > EPS]
        if not stuck:  # numerically every weight is tiny: the largest is the one that binds
            stuck = [max(free, key=lambda i: (y[i], -i))]
        return level, stuck

    def primal(self, bounds: dict[int, float]) -> dict[tuple[int, ...], float]:
        """A distribution over the panels found giving each type at least its bound
        (up to a common slack the program makes as small as it can)."""
        highs = new_highs()
        for _ in self.panels:
            highs.addVar(0.0, INF)
        count = len(self.panels)
        slack = count
        highs.addVar(-INF, 1.0)
        highs.changeColCost(slack, 1.0)
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        highs.addRow(1.0, 1.0, count, np.arange(count, dtype=np.int32), np.ones(count))
        by_type: dict[int, tuple[list[int], list[float]]] = {i: ([], []) for i in bounds}
        for column, panel in enumerate(self.panels):
            for index, share in zip(*self.shares(panel), strict=True):
                if int(index) in by_type:
                    by_type[int(index)][0].append(column)
                    by_type[int(index)][1].append(float(share))
        for index in sorted(bounds):
            columns, values = by_type[index]
            highs.addRow(
                bounds[index],
                INF,
                len(columns) + 1,
                np.asarray(columns + [slack], dtype=np.int32),
                np.asarray(values + [-1.0]),
            )
        run_highs(highs)
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise InfeasibleError("the final linear program has no optimum")
        shares = highs.getSolution().col_value[:count]
        return {
            panel: max(0.0, float(share)) for panel, share in zip(self.panels, shares, strict=True) if share > 1e-12
        }


def leximin(instance: Instance, progress: Progress | None = None, rounds: int | None = None) -> Distribution:
    """LEXIMIN over the panels satisfying the quotas; `rounds=1` gives maximin."""
    start = time.perf_counter()
    search = PanelSearch(instance)
    columns = _Columns(instance, search)
    size = len(columns.counts)
    impossible = columns.seed()
    fixed: dict[int, float] = {index: 0.0 for index in impossible}
    done = 0
    while len(fixed) < size and (rounds is None or done < rounds):
        free = [i for i in range(size) if i not in fixed]
        level, stuck = columns.round(fixed, free, progress)
        done += 1
        for index in stuck:
            fixed[index] = max(0.0, level - FIX_MARGIN)
        if progress:
            progress(f"round {done}: {len(fixed)} of {size} types fixed, level {level:.6f}", len(fixed) / size)
        if rounds is not None and done >= rounds:
            for index in free:
                fixed.setdefault(index, max(0.0, level - FIX_MARGIN))
    distribution = _integer_weights(instance, "leximin" if rounds is None else "maximin", columns.primal(fixed))
    distribution.seconds = time.perf_counter() - start
    return distribution


def maximin(instance: Instance, progress: Progress | None = None) -> Distribution:
    return leximin(instance, progress, rounds=1)


class _LegacyFailed(Exception):
    pass


def legacy_panel(instance: Instance, stream: Stream) -> list[str]:
    """One panel by the legacy greedy method, its choices drawn from `stream`.
    Retries (with the next numbers of the stream) when it runs into a dead end."""
    for _ in range(1000):
        try:
            return _legacy_once(instance, stream)
        except _LegacyFailed:
            continue
    raise InfeasibleError("the legacy method found no panel in 1,000 attempts")


def _legacy_once(instance: Instance, stream: Stream) -> list[str]:
    people = instance.people
    keys = instance.value_keys
    key_index = {key: i for i, key in enumerate(keys)}
    person_keys = [
        [key_index[(f, v)] for f, v in zip(instance.features, p.values, strict=True)] for p in instance.people
    ]
    lists: list[list[int]] = [[] for _ in keys]
    where: list[dict[int, int]] = [{} for _ in keys]
    for index, own in enumerate(person_keys):
        for k in own:
            where[k][index] = len(lists[k])
            lists[k].append(index)
    alive = [True] * len(people)
    left = len(people)
    households: dict[str, list[int]] = {}
    for index, person in enumerate(people):
        if person.household is not None:
            households.setdefault(person.household, []).append(index)

    def remove(index: int) -> None:
        nonlocal left
        if not alive[index]:
            return
        alive[index] = False
        left -= 1
        for k in person_keys[index]:
            position = where[k].pop(index)
            last = lists[k].pop()
            if last != index:
                lists[k][position] = last
                where[k][last] = position

    selected: list[int] = []
    chosen = [0] * len(keys)
    lows = [instance.quotas[key][0] for key in keys]
    highs = [instance.quotas[key][1] for key in keys]
    for k in range(len(keys)):
        if highs[k] == 0:
            for index in list(lists[k]):
                remove(index)
    while len(selected) < instance.panel_size:
        best, best_ratio = -1, -1.0
        for k in range(len(keys)):
            need = lows[k] - chosen[k]
            if need > 0:
                if not lists[k]:
                    raise _LegacyFailed
                ratio = need / len(lists[k])
                if ratio > best_ratio:
                    best, best_ratio = k, ratio
        if best >= 0:
            pick = lists[best][stream.below(len(lists[best]))]
        else:
            if left == 0:
                raise _LegacyFailed
            alive_list = [i for i in range(len(people)) if alive[i]]
            pick = alive_list[stream.below(len(alive_list))]
        selected.append(pick)
        household = people[pick].household
        remove(pick)
        if household is not None:
            for mate in households[household]:
                remove(mate)
        for k in person_keys[pick]:
            chosen[k] += 1
            if chosen[k] >= highs[k]:
                for index in list(lists[k]):
                    remove(index)
        if left < instance.panel_size - len(selected):
            raise _LegacyFailed
    return sorted(people[i].id for i in selected)


def legacy(
    instance: Instance, progress: Progress | None = None, runs: int = LEGACY_RUNS, seed: bytes = b"legacy"
) -> Distribution:
    """The empirical distribution of `runs` legacy panels (the streams `seed`, run number)."""
    start = time.perf_counter()
    type_of = {member: i for i, t in enumerate(instance.types()) for member in t.members}
    size = len(instance.types())
    tally: dict[tuple[int, ...], int] = {}
    for run in range(runs):
        panel = legacy_panel(instance, Stream(seed, f"legacy-run-{run}".encode()))
        counts = [0] * size
        for member in panel:
            counts[type_of[member]] += 1
        key = tuple(counts)
        tally[key] = tally.get(key, 0) + 1
        if progress and (run + 1) % 100 == 0:
            progress(f"legacy: {run + 1} of {runs} runs", (run + 1) / runs)
    panels = sorted(tally)
    distribution = Distribution(instance, "legacy", panels, [tally[p] for p in panels])
    distribution.seconds = time.perf_counter() - start
    return distribution


def select(instance: Instance, algorithm: str, progress: Progress | None = None) -> Distribution:
    if algorithm == "leximin":
        return leximin(instance, progress)
    if algorithm == "maximin":
        return maximin(instance, progress)
    if algorithm == "legacy":
        return legacy(instance, progress)
    raise ValueError(f"unknown algorithm {algorithm!r} (one of {', '.join(ALGORITHMS)})")
