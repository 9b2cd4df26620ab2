"""Every kind of contribution docs/moderation.md lists under "Posting limits" has a default
limit and is counted by a service (check_posting_rate(..., "<kind>")): an idea kind was
documented and never counted (finding 15)."""

import re
from pathlib import Path

from agora.moderation.limits import DEFAULT_LIMITS

ROOT = Path(__file__).resolve().parents[3]


def documented_kinds() -> set[str]:
    text = (ROOT / "docs" / "moderation.md").read_text()
    section = text.split("### Posting limits", 1)[1].split("\n## ", 1)[0]
    return {match for match in re.findall(r"^\|\s*([a-z]+)\s*\|", section, re.M) if match != "kind"}


def counted_kinds() -> set[str]:
    kinds = set()
    for path in (ROOT / "agora").rglob("*.py"):
        if "tests" in path.parts:
            continue
        kinds |= set(re.findall(r"check_posting_rate\(\s*\w+,\s*\"([a-z]+)\"", path.read_text()))
    return kinds


def test_every_documented_kind_has_a_default_limit_and_is_counted():
    kinds = documented_kinds()
    assert {"comment", "idea", "message", "conversation", "report"} <= kinds
    assert kinds <= set(DEFAULT_LIMITS)
    assert kinds <= counted_kinds(), kinds - counted_kinds()
