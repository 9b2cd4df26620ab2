from pathlib import Path

import pytest

from agora.sortition import pool
from agora.testing.shared_data import SHARED_DATA

SORTITION = SHARED_DATA / "sortition"
REPLICATION = SORTITION / "citizensassemblies-replication"
FOUNDATION = SORTITION / "sortition-algorithms-fixtures"


def data_file(*parts: str) -> Path:
    path = SORTITION.joinpath(*parts)
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the reference tests need ../shared/data beside the checkout (see its SOURCES.md)"
        )
    return path


@pytest.fixture
def small_20():
    return pool.load(
        data_file("citizensassemblies-replication", "example_small_20", "respondents.csv"),
        data_file("citizensassemblies-replication", "example_small_20", "categories.csv"),
        20,
    )


@pytest.fixture
def foundation_22():
    return pool.load(
        data_file("sortition-algorithms-fixtures", "candidates.csv"),
        data_file("sortition-algorithms-fixtures", "features.csv"),
        22,
    )


def toy(people, quotas, panel_size, features=("age", "gender")):
    """An instance from [(id, (values...), household)] and {(feature, value): (min, max)}."""
    values: dict[str, set[str]] = {f: set() for f in features}
    for feature, value in quotas:
        values[feature].add(value)
    return pool.build(
        features,
        values,
        quotas,
        [pool.Person(pid, tuple(vals), household) for pid, vals, household in people],
        panel_size,
    )
