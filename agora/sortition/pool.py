"""A pool of volunteers, the quotas of a panel and their canonical form.

Files read: the citizensassemblies-replication format (Flanigan et al. 2021),
``categories.csv`` (``category,feature,min,max``: one line per value of a
feature, the replication's "category" is our feature and its "feature" our
value) and ``respondents.csv`` (one column per feature, one line per volunteer;
the volunteer's id is the column ``id`` when there is one, else the line number
counted from 0), and the Sortition Foundation's ``features.csv``
(``feature,value,min,max[,min_flex,max_flex]``) with its ``candidates.csv``
(id column ``nationbuilder_id``).

Volunteers with the same features and no household shared with anyone are
interchangeable: every algorithm works on *types* (one per feature vector,
with its number of members), which is what makes pools of thousands fit in
seconds. A volunteer who shares a household (at most one person per household
is selected) is a type of their own."""

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ID_COLUMNS = ("id", "respondent_id", "nationbuilder_id")


class InstanceError(ValueError):
    """The files or the figures do not describe a pool and its quotas."""


@dataclass(frozen=True)
class Person:
    id: str
    values: tuple[str, ...]  # one value per feature, in `Instance.features` order
    household: str | None = None


@dataclass(frozen=True)
class Type:
    """Volunteers that no algorithm can tell apart."""

    values: tuple[str, ...]
    members: tuple[str, ...]  # ids, sorted

    @property
    def count(self) -> int:
        return len(self.members)


@dataclass
class Instance:
    features: tuple[str, ...]  # sorted
    values: dict[str, tuple[str, ...]]  # feature -> its values, sorted
    quotas: dict[tuple[str, str], tuple[int, int]]  # (feature, value) -> (min, max)
    people: list[Person]  # sorted by id
    panel_size: int
    _types: list[Type] | None = field(default=None, repr=False, compare=False)
    _households: list[list[int]] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.people = sorted(self.people, key=lambda p: p.id)
        ids = [p.id for p in self.people]
        if len(set(ids)) != len(ids):
            raise InstanceError("two volunteers have the same id")
        if self.panel_size < 1:
            raise InstanceError("the panel size must be at least 1")
        for person in self.people:
            if len(person.values) != len(self.features):
                raise InstanceError(
                    f"volunteer {person.id}: {len(person.values)} values for {len(self.features)} features"
                )
            for feature, value in zip(self.features, person.values, strict=True):
                if (feature, value) not in self.quotas:
                    raise InstanceError(f"volunteer {person.id}: {feature}={value} has no quota")
        for (feature, value), (low, high) in self.quotas.items():
            if low < 0 or high < low:
                raise InstanceError(f"{feature}={value}: the quota {low}..{high} is not a range")

    @property
    def value_keys(self) -> list[tuple[str, str]]:
        """Every (feature, value) in canonical order."""
        return [(feature, value) for feature in self.features for value in self.values[feature]]

    def types(self) -> list[Type]:
        """The types, in canonical order (by values, then by first member)."""
        if self._types is None:
            shared = self._shared_households()
            groups: dict[tuple, list[str]] = {}
            for person in self.people:
                if person.household is not None and person.household in shared:
                    key: tuple = (person.values, person.id)
                else:
                    key = (person.values, "")
                groups.setdefault(key, []).append(person.id)
            self._types = sorted(
                (Type(values, tuple(sorted(members))) for (values, _), members in groups.items()),
                key=lambda t: (t.values, t.members[0]),
            )
        return self._types

    def households(self) -> list[list[int]]:
        """Lists of type indexes of which a panel may take at most one (one per shared household)."""
        if self._households is None:
            shared = self._shared_households()
            by_member = {t.members[0]: index for index, t in enumerate(self.types()) if t.count == 1}
            groups: dict[str, list[int]] = {}
            for person in self.people:
                if person.household in shared:
                    groups.setdefault(person.household, []).append(by_member[person.id])
            self._households = [sorted(groups[key]) for key in sorted(groups)]
        return self._households

    def _shared_households(self) -> set[str]:
        seen: dict[str, int] = {}
        for person in self.people:
            if person.household is not None:
                seen[person.household] = seen.get(person.household, 0) + 1
        return {key for key, number in seen.items() if number > 1}

    def canonical(self) -> dict:
        """The pool and quotas as published (and hashed): ids, values, households, figures."""
        uses_households = any(p.household is not None for p in self.people)
        people = []
        for person in self.people:
            row: list = [person.id, list(person.values)]
            if uses_households:
                row.append(person.household or "")
            people.append(row)
        return {
            "features": [{"name": f, "values": list(self.values[f])} for f in self.features],
            "people": people,
            "households": uses_households,
        }

    def canonical_quotas(self) -> dict:
        return {
            "panel_size": self.panel_size,
            "quotas": [[f, v, self.quotas[(f, v)][0], self.quotas[(f, v)][1]] for f, v in self.value_keys],
        }

    def pool_sha256(self) -> str:
        return sha256_hex(self.canonical())

    @classmethod
    def from_canonical(cls, pool: dict, quotas: dict) -> "Instance":
        features = tuple(f["name"] for f in pool["features"])
        values = {f["name"]: tuple(f["values"]) for f in pool["features"]}
        people = [
            Person(str(row[0]), tuple(row[1]), (row[2] or None) if pool.get("households") else None)
            for row in pool["people"]
        ]
        figures = {(f, v): (int(low), int(high)) for f, v, low, high in quotas["quotas"]}
        return build(features, values, figures, people, int(quotas["panel_size"]))

    def person_values(self) -> dict[str, tuple[str, ...]]:
        return {p.id: p.values for p in self.people}


def build(
    features: Iterable[str],
    values: Mapping[str, Iterable[str]],
    quotas: dict[tuple[str, str], tuple[int, int]],
    people: Iterable[Person],
    panel_size: int,
) -> Instance:
    """An instance in canonical order, whatever order the caller gave (features and values sorted)."""
    order = sorted(features)
    given = list(features)
    if sorted(set(given)) != sorted(given):
        raise InstanceError("a feature is named twice")
    position = [given.index(name) for name in order]
    reordered = [Person(p.id, tuple(p.values[i] for i in position), p.household) for p in people]
    return Instance(
        features=tuple(order),
        values={f: tuple(sorted(set(values[f]))) for f in order},
        quotas=dict(quotas),
        people=reordered,
        panel_size=panel_size,
    )


def canonical_json(document: object) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: what every hash of the draw is taken on."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(document: object) -> str:
    return hashlib.sha256(canonical_json(document)).hexdigest()


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise InstanceError("the file is empty")
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def _int(text: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InstanceError(f"{where}: '{text}' is not a whole number") from None


def read_categories(text: str) -> dict[tuple[str, str], tuple[int, int]]:
    """``category,feature,min,max`` (replication) or ``feature,value,min,max,...`` (Sortition Foundation)."""
    rows = _rows(text)
    if not rows:
        raise InstanceError("the categories file has no line")
    columns = set(rows[0])
    if {"category", "feature", "min", "max"} <= columns:
        feature_col, value_col = "category", "feature"
    elif {"feature", "value", "min", "max"} <= columns:
        feature_col, value_col = "feature", "value"
    else:
        raise InstanceError("the categories file needs the columns category,feature,min,max")
    quotas: dict[tuple[str, str], tuple[int, int]] = {}
    for number, row in enumerate(rows, start=2):
        key = (row[feature_col], row[value_col])
        if not key[0] or not key[1]:
            raise InstanceError(f"categories line {number}: empty feature or value")
        if key in quotas:
            raise InstanceError(f"categories line {number}: {key[0]}={key[1]} is listed twice")
        quotas[key] = (_int(row["min"], f"categories line {number}"), _int(row["max"], f"categories line {number}"))
    return quotas


def read_respondents(
    text: str, features: Iterable[str], household_column: str | None = None
) -> list[tuple[str, tuple[str, ...], str | None]]:
    rows = _rows(text)
    names = list(features)
    if not rows:
        raise InstanceError("the respondents file has no line")
    missing = [name for name in names if name not in rows[0]]
    if missing:
        raise InstanceError(f"the respondents file has no column {', '.join(missing)}")
    if household_column and household_column not in rows[0]:
        raise InstanceError(f"the respondents file has no column {household_column}")
    id_column = next((c for c in ID_COLUMNS if c in rows[0]), None)
    people = []
    for number, row in enumerate(rows):
        pid = row[id_column] if id_column else str(number)
        household = (row[household_column] or None) if household_column else None
        people.append((pid, tuple(row[name] for name in names), household))
    return people


def load(
    respondents: str | Path,
    categories: str | Path,
    panel_size: int,
    household_column: str | None = None,
) -> Instance:
    """An instance from the two files."""
    quotas = read_categories(Path(categories).read_text(encoding="utf-8"))
    features: list[str] = []
    values: dict[str, list[str]] = {}
    for feature, value in quotas:
        if feature not in values:
            features.append(feature)
            values[feature] = []
        values[feature].append(value)
    rows = read_respondents(Path(respondents).read_text(encoding="utf-8"), features, household_column)
    people = [Person(pid, vals, household) for pid, vals, household in rows]
    return build(features, values, quotas, people, panel_size)
