"""What other components say of an idea on its page (the meetings it was
given at, the meetings that discuss it): providers registered through
`api.register_mentions`, kept here so that the idea's own query
(`selectors.proposal_for`) can ask, for each provider that gives one,
whether there is anything to say, without importing `api` (which imports
the services, which import the selectors)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, QuerySet


@dataclass(frozen=True)
class Mention:
    """A line of the idea's page about another component's resource: `label`
    ("Given at the meeting"), the resource's `title` and `url`, and `detail`
    (a date), in the language of the page; `heading` groups them."""

    heading: str
    label: str
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class _Provider:
    mentions: Callable[[Any, Any], list[Mention]]
    # A boolean expression on the ideas (OuterRef("pk") is the idea): can there
    # be anything to say? None: the provider is always asked.
    linked: Callable[[], Expression] | None


_providers: list[_Provider] = []


def register(provider: Callable[[Any, Any], list[Mention]], linked: Callable[[], Expression] | None = None) -> None:
    if all(each.mentions is not provider for each in _providers):
        _providers.append(_Provider(provider, linked))


def _mark(index: int) -> str:
    return f"mentions_linked_{index}"


def with_marks(ideas: QuerySet) -> QuerySet:
    """`ideas` with, for each provider that says how, whether it has anything
    to say of each idea (read with the idea: no query of its own)."""
    marks = {_mark(n): each.linked() for n, each in enumerate(_providers) if each.linked is not None}
    return ideas.annotate(**marks) if marks else ideas


def mentions_of(idea: Any, user: Any) -> list[Mention]:
    found: list[Mention] = []
    for n, each in enumerate(_providers):
        if each.linked is not None and getattr(idea, _mark(n), True) is False:
            continue  # read with the idea (with_marks): nothing links it
        found.extend(each.mentions(idea, user))
    return found
