"""Can the quotas be met by this pool? If not, why, in words, and the smallest change.

The reasons are looked for from the simplest to the least obvious: too few
volunteers; a minimum above the volunteers who have the value; the minimums of
one feature adding up to more than the panel (or its maximums to less); a
minimum (or maximum) that the quotas of another feature make unreachable. The
smallest relaxation is an integer program: lower minimums and raise maximums by
as little as possible in total (each unit of change costs 1) so that a panel
exists.

Texts are English message ids marked for translation (`gettext_noop`); the
component translates them with `describe(conflict, gettext)`."""

from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from agora.sortition.pool import Instance
from agora.sortition.solver import PanelSearch, new_highs, run_highs


def gettext_noop(message: str) -> str:
    return message


MESSAGES = {
    "pool_too_small": gettext_noop("The panel has %(panel)s seats but the pool has only %(pool)s volunteers."),
    "min_above_pool": gettext_noop(
        "At least %(min)s people with %(feature)s “%(value)s” are required but only %(available)s volunteers have it."
    ),
    "mins_above_panel": gettext_noop(
        "The minimums of %(feature)s add up to %(total)s, more than the %(panel)s seats of the panel."
    ),
    "maxs_below_panel": gettext_noop(
        "With the maximums of %(feature)s (and its volunteers) at most %(total)s people can be chosen, "
        "fewer than the %(panel)s seats of the panel."
    ),
    "min_blocked": gettext_noop(
        "%(feature)s “%(value)s”: minimum %(min)s, but with the quotas of %(other)s at most %(reachable)s can be chosen."
    ),
    "max_blocked": gettext_noop(
        "%(feature)s “%(value)s”: maximum %(max)s, but with the quotas of %(other)s at least %(reachable)s must be chosen."
    ),
    "combined": gettext_noop("No panel meets every quota at once, though each feature alone can be met."),
    "households": gettext_noop("With at most one person per household, no panel meets the quotas."),
    "lower_min": gettext_noop("Lower the minimum of %(feature)s “%(value)s” from %(old)s to %(new)s."),
    "raise_max": gettext_noop("Raise the maximum of %(feature)s “%(value)s” from %(old)s to %(new)s."),
}


@dataclass(frozen=True)
class Conflict:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Relaxation:
    feature: str
    value: str
    old_min: int
    new_min: int
    old_max: int
    new_max: int


@dataclass
class Report:
    feasible: bool
    conflicts: list[Conflict]
    relaxations: list[Relaxation]

    def changes(self) -> list[Conflict]:
        """The relaxation as sentences to show (one per changed bound)."""
        out = []
        for r in self.relaxations:
            if r.new_min != r.old_min:
                out.append(
                    Conflict("lower_min", {"feature": r.feature, "value": r.value, "old": r.old_min, "new": r.new_min})
                )
            if r.new_max != r.old_max:
                out.append(
                    Conflict("raise_max", {"feature": r.feature, "value": r.value, "old": r.old_max, "new": r.new_max})
                )
        return out


def describe(conflict: Conflict, gettext: Callable[[str], str] = gettext_noop) -> str:
    return gettext(MESSAGES[conflict.code]) % conflict.params


def _available(instance: Instance) -> dict[tuple[str, str], int]:
    counts = {key: 0 for key in instance.value_keys}
    for person in instance.people:
        for feature, value in zip(instance.features, person.values, strict=True):
            counts[(feature, value)] += 1
    return counts


def _reach(instance: Instance, key: tuple[str, str], only: str, sense: int) -> int | None:
    """The largest (sense 1) or smallest (sense -1) number of `key` in a panel that meets
    the quotas of the feature `only` (and the panel size, households) but not its own."""
    features = [f for f in instance.features if f not in (only, key[0])]
    drop = tuple((f, v) for f in features for v in instance.values[f]) + (key,)
    search = PanelSearch(instance, drop=drop, households=False)
    position = instance.features.index(key[0])
    weights = np.array([sense * 1.0 if t.values[position] == key[1] else 0.0 for t in instance.types()])
    found = search.best(weights)
    if found is None:
        return None
    return int(round(sense * found[0]))


def check(instance: Instance) -> Report:
    conflicts: list[Conflict] = []
    panel = instance.panel_size
    available = _available(instance)
    if len(instance.people) < panel:
        # nothing else is worth saying, and no quota can help
        return Report(False, [Conflict("pool_too_small", {"panel": panel, "pool": len(instance.people)})], [])
    for feature, value in instance.value_keys:
        low = instance.quotas[(feature, value)][0]
        if low > available[(feature, value)]:
            conflicts.append(
                Conflict(
                    "min_above_pool",
                    {"min": low, "feature": feature, "value": value, "available": available[(feature, value)]},
                )
            )
    for feature in instance.features:
        keys = [(feature, v) for v in instance.values[feature]]
        total_min = sum(instance.quotas[k][0] for k in keys)
        total_max = sum(min(instance.quotas[k][1], available[k]) for k in keys)
        if total_min > panel:
            conflicts.append(Conflict("mins_above_panel", {"feature": feature, "total": total_min, "panel": panel}))
        if total_max < panel:
            conflicts.append(Conflict("maxs_below_panel", {"feature": feature, "total": total_max, "panel": panel}))
    feasible = PanelSearch(instance).best(np.zeros(len(instance.types()))) is not None
    if feasible:
        return Report(True, [], [])
    if not conflicts:
        zero = np.zeros(len(instance.types()))
        if instance.households() and PanelSearch(instance, households=False).best(zero) is not None:
            conflicts.append(Conflict("households", {}))
        else:
            conflicts = _pairwise(instance) or [Conflict("combined", {})]
    return Report(False, conflicts, relax(instance))


def _pairwise(instance: Instance) -> list[Conflict]:
    found = []
    for feature, value in instance.value_keys:
        low, high = instance.quotas[(feature, value)]
        for other in instance.features:
            if other == feature:
                continue
            if low > 0:
                most = _reach(instance, (feature, value), other, 1)
                if most is not None and most < low:
                    found.append(
                        Conflict(
                            "min_blocked",
                            {"feature": feature, "value": value, "min": low, "other": other, "reachable": most},
                        )
                    )
            least = _reach(instance, (feature, value), other, -1)
            if least is not None and least > high:
                found.append(
                    Conflict(
                        "max_blocked",
                        {"feature": feature, "value": value, "max": high, "other": other, "reachable": least},
                    )
                )
    return found


def relax(instance: Instance) -> list[Relaxation]:
    """The smallest total change of minimums and maximums that makes a panel exist
    (empty when the pool is smaller than the panel: no quota can help)."""
    if len(instance.people) < instance.panel_size:
        return []
    types = instance.types()
    size = len(types)
    keys = instance.value_keys
    highs = new_highs()
    for t in types:
        highs.addVar(0.0, float(t.count))
    for key in keys:
        highs.addVar(0.0, float(instance.quotas[key][0]))  # lowering of the minimum (down to 0)
        highs.addVar(0.0, float(instance.panel_size))  # raising of the maximum
    total = size + 2 * len(keys)
    highs.changeColsIntegrality(total, np.arange(total, dtype=np.int32), np.full(total, highspy.HighsVarType.kInteger))
    costs = np.concatenate([np.zeros(size), np.ones(2 * len(keys))])
    highs.changeColsCost(total, np.arange(total, dtype=np.int32), costs)
    every = np.arange(size, dtype=np.int32)
    highs.addRow(float(instance.panel_size), float(instance.panel_size), size, every, np.ones(size))
    for number, (feature, value) in enumerate(keys):
        position = instance.features.index(feature)
        members = [i for i, t in enumerate(types) if t.values[position] == value]
        low, high = instance.quotas[(feature, value)]
        down, up = size + 2 * number, size + 2 * number + 1
        index = np.asarray(members + [down], dtype=np.int32)
        highs.addRow(float(low), highspy.kHighsInf, len(index), index, np.append(np.ones(len(members)), 1.0))
        index = np.asarray(members + [up], dtype=np.int32)
        highs.addRow(-highspy.kHighsInf, float(high), len(index), index, np.append(np.ones(len(members)), -1.0))
    for group in instance.households():
        highs.addRow(0.0, 1.0, len(group), np.asarray(group, dtype=np.int32), np.ones(len(group)))
    run_highs(highs)
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return []
    solution = highs.getSolution().col_value
    out = []
    for number, (feature, value) in enumerate(keys):
        down = int(round(solution[size + 2 * number]))
        up = int(round(solution[size + 2 * number + 1]))
        if down or up:
            low, high = instance.quotas[(feature, value)]
            out.append(Relaxation(feature, value, low, low - down, high, high + up))
    return out
