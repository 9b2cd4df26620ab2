"""The data sets that every session and CI read beside the checkout
(../shared/data, each with its SOURCES.md). A missing file fails the test with
what to do, never skips it: a reference test that skips proves nothing."""

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PABULIB = SHARED_DATA / "pabulib"


def pabulib_file(name: str) -> Path:
    path = PABULIB / name
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the reference tests need ../shared/data beside the checkout (see its SOURCES.md)"
        )
    return path
