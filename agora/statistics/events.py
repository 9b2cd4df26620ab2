"""What a participation event is, and the sources the rebuild reads that are not components."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Event:
    """One act of participation as a `participation` hook gives it back."""

    kind: str
    channel: str
    day: date
    person_id: int | None = None
    district_id: int | None = None


# callable(organization) -> iterable of (component, Event): participation stored
# outside the components (comments), read again by the rebuild.
_sources: list[Callable[[Any], Iterable[tuple[Any, Event]]]] = []


def register_source(source: Callable[[Any], Iterable[tuple[Any, Event]]]) -> None:
    if source not in _sources:
        _sources.append(source)


def sources() -> list[Callable[[Any], Iterable[tuple[Any, Event]]]]:
    return list(_sources)
