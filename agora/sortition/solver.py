"""HiGHS (through highspy) for the linear and integer programs, with fixed options
(one thread, seed 0, no output) so that the same inputs give the same answers."""

import os

import highspy
import numpy as np

from agora.sortition.pool import Instance

INF = highspy.kHighsInf
_banner_shown = False


def new_highs() -> highspy.Highs:
    """A silent solver. HiGHS prints its banner on the standard output when the first
    one is made in a process, which would spoil a command's JSON: it goes to /dev/null."""
    global _banner_shown
    if not _banner_shown:
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    else:
        highs = highspy.Highs()
    for name, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", 0),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 1e-9),
    ):
        highs.setOptionValue(name, value)
    return highs


def _sparse(index: list[int], values: list[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    vals = np.ones(len(index)) if values is None else np.asarray(values, dtype=float)
    return np.asarray(index, dtype=np.int32), vals


class PanelSearch:
    """The integer program whose solutions are the panels (as counts per type):
    0 <= x_t <= members of t, sum x = panel size, each quota, one per shared household.
    `best(weights)` returns the panel of largest total weight."""

    def __init__(self, instance: Instance, drop: tuple[tuple[str, str], ...] = (), households: bool = True):
        self.instance = instance
        types = instance.types()
        self.size = len(types)
        highs = new_highs()
        for t in types:
            highs.addVar(0.0, float(t.count))
        highs.changeColsIntegrality(
            self.size, np.arange(self.size, dtype=np.int32), np.full(self.size, highspy.HighsVarType.kInteger)
        )
        highs.addRow(
            float(instance.panel_size), float(instance.panel_size), self.size, *_sparse(list(range(self.size)))
        )
        self.value_rows: dict[tuple[str, str], int] = {}
        row = 1
        for position, feature in enumerate(instance.features):
            for value in instance.values[feature]:
                members = [i for i, t in enumerate(types) if t.values[position] == value]
                low, high = instance.quotas[(feature, value)]
                if (feature, value) in drop:
                    low, high = 0, instance.panel_size
                highs.addRow(float(low), float(high), len(members), *_sparse(members))
                self.value_rows[(feature, value)] = row
                row += 1
        for group in instance.households() if households else []:
            highs.addRow(0.0, 1.0, len(group), *_sparse(group))
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.highs = highs

    def best(self, weights: np.ndarray) -> tuple[float, tuple[int, ...]] | None:
        """The panel of largest weight (None when no panel satisfies the quotas)."""
        highs = self.highs
        highs.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), np.asarray(weights, dtype=float))
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        counts = tuple(int(round(v)) for v in highs.getSolution().col_value[: self.size])
        return float(np.dot(weights, counts)), counts
