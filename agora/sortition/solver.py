"""HiGHS (through highspy) for the linear and integer programs, with fixed options
(one thread, seed 0, no output) so that the same inputs give the same answers."""

import os

import highspy
import numpy as np

from agora.sortition.pool import Instance

INF = highspy.kHighsInf
_banner_shown = False


def new_highs(warm: bool = False) -> highspy.Highs:
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
    if warm:  # a linear program solved again and again: presolve would throw the last basis away
        highs.setOptionValue("presolve", "off")
    return highs


class SolverError(RuntimeError):
    """HiGHS could not run the program at all (not: the program has no solution)."""


def run_highs(highs: highspy.Highs) -> None:
    """Run HiGHS. Its thread scheduler is global to the process: once another HiGHS user
    (another library, a solver made with other options) has started it with a different
    number of threads, `run` refuses with an error and no solution, which the callers would
    otherwise read as "no panel satisfies the quotas". The scheduler is then made again
    for our single thread and the program run once more."""
    if highs.run() == highspy.HighsStatus.kError:
        highspy.Highs.resetGlobalScheduler(True)
        if highs.run() == highspy.HighsStatus.kError:
            raise SolverError("HiGHS refused to run the program")


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
        self.upper = np.array([float(t.count) for t in instance.types()])
        self.last_relaxed = np.zeros(self.size)
        self.highs = self._model(instance, drop, households, integer=True)
        self.relaxed = self._model(instance, drop, households, integer=False)

    def _model(
        self, instance: Instance, drop: tuple[tuple[str, str], ...], households: bool, integer: bool
    ) -> highspy.Highs:
        types = instance.types()
        highs = new_highs(warm=not integer)
        for t in types:
            highs.addVar(0.0, float(t.count))
        if integer:
            highs.setOptionValue("mip_improving_solution_save", True)
            highs.changeColsIntegrality(
                self.size, np.arange(self.size, dtype=np.int32), np.full(self.size, highspy.HighsVarType.kInteger)
            )
        highs.addRow(
            float(instance.panel_size), float(instance.panel_size), self.size, *_sparse(list(range(self.size)))
        )
        for position, feature in enumerate(instance.features):
            for value in instance.values[feature]:
                members = [i for i, t in enumerate(types) if t.values[position] == value]
                low, high = instance.quotas[(feature, value)]
                if (feature, value) in drop:
                    low, high = 0, instance.panel_size
                highs.addRow(float(low), float(high), len(members), *_sparse(members))
        for group in instance.households() if households else []:
            highs.addRow(0.0, 1.0, len(group), *_sparse(group))
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        return highs

    def _relaxation(self, weights: np.ndarray) -> tuple[float, tuple[int, ...] | None] | None:
        """The linear relaxation's optimum (an upper bound) and its panel when it is whole."""
        relaxed = self.relaxed
        relaxed.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), np.asarray(weights, dtype=float))
        run_highs(relaxed)
        if relaxed.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        values = np.asarray(relaxed.getSolution().col_value[: self.size])
        self.last_relaxed = values
        rounded = np.round(values)
        whole = tuple(int(v) for v in rounded) if np.all(np.abs(values - rounded) < 1e-9) else None
        return float(relaxed.getInfo().objective_function_value), whole

    def _solve(self, weights: np.ndarray, bound: float, eps: float) -> tuple[float, list[tuple[int, ...]]]:
        highs = self.highs
        highs.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), weights)
        run_highs(highs)
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return -INF, []
        best = tuple(int(round(v)) for v in highs.getSolution().col_value[: self.size])
        found = [best] if float(np.dot(weights, best)) > bound + eps else []
        for saved in highs.getSavedMipSolutions():
            panel = tuple(int(round(v)) for v in saved.col_value[: self.size])
            if panel not in found and float(np.dot(weights, panel)) > bound + eps:
                found.append(panel)
        return float(highs.getInfo().objective_function_value), found

    def _near_relaxation(self, weights: np.ndarray, bound: float, eps: float) -> list[tuple[int, ...]]:
        """The integer program with every variable between the floor and the ceiling of
        the relaxation's value: tiny (at most one free variable per constraint), and its
        answer is often good enough to improve the master program."""
        values = self.last_relaxed
        index = np.arange(self.size, dtype=np.int32)
        self.highs.changeColsBounds(self.size, index, np.floor(values + 1e-9), np.ceil(values - 1e-9))
        try:
            return self._solve(weights, bound, eps)[1]
        finally:
            self.highs.changeColsBounds(self.size, index, np.zeros(self.size), self.upper)

    def improving(self, weights: np.ndarray, bound: float, eps: float) -> tuple[float, list[tuple[int, ...]]]:
        """Panels whose weight exceeds `bound` by more than `eps` (several when the integer
        program meets them on its way), and an upper bound of the best weight. The linear
        relaxation answers first: when its optimum does not exceed the bound, or is a whole
        panel, no integer program is solved."""
        weights = np.asarray(weights, dtype=float)
        relaxed = self._relaxation(weights)
        if relaxed is not None:
            top, whole = relaxed
            if top <= bound + eps:
                return top, []
            if whole is not None:
                return top, [whole]
            near = self._near_relaxation(weights, bound, eps)
            if near:
                return top, near
        return self._solve(weights, bound, eps)

    def best(self, weights: np.ndarray) -> tuple[float, tuple[int, ...]] | None:
        """The panel of largest weight (None when no panel satisfies the quotas)."""
        relaxed = self._relaxation(weights)
        if relaxed is None:
            return None
        if relaxed[1] is not None:
            return relaxed[0], relaxed[1]
        highs = self.highs
        highs.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), np.asarray(weights, dtype=float))
        run_highs(highs)
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        counts = tuple(int(round(v)) for v in highs.getSolution().col_value[: self.size])
        return float(np.dot(weights, counts)), counts
