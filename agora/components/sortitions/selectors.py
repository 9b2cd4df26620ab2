"""Reads of the sortitions component."""

from collections.abc import Iterable, Sequence

from django.db.models import Count, QuerySet

from agora.components.models import Component
from agora.components.proposals import api as ideas_api
from agora.components.sortitions.models import Draw, IdeaDraw, Sortition


def sortitions_of(component: Component) -> QuerySet[Sortition]:
    return Sortition.objects.filter(component=component).annotate(volunteer_count=Count("volunteers"))


def published_draws(sortition: Sortition) -> QuerySet[Draw]:
    """What the public sees: distributions published (ready) and draws made."""
    return sortition.draws.filter(state__in=[Draw.State.READY, Draw.State.DRAWN]).prefetch_related("parties")


def probability_rows(draw: Draw, limit: int | None = None) -> list[dict]:
    """Each volunteer's probability with the legacy method's beside it, lowest first."""
    rows = [
        {
            "ref": ref,
            "probability": p,
            "percent": 100 * p,
            "legacy": draw.legacy_probabilities.get(ref),
            "legacy_percent": 100 * draw.legacy_probabilities[ref] if ref in draw.legacy_probabilities else None,
        }
        for ref, p in draw.probabilities.items()
    ]
    rows.sort(key=lambda r: (r["probability"], r["ref"]))
    return rows[:limit] if limit else rows


def fairness(draw: Draw) -> dict:
    """The minimum probability of the algorithm and of legacy, and the gain."""
    if not draw.probabilities:
        return {}
    low = min(draw.probabilities.values())
    legacy = min(draw.legacy_probabilities.values()) if draw.legacy_probabilities else None
    return {
        "min": 100 * low,
        "legacy_min": None if legacy is None else 100 * legacy,
        "gain": round(low / legacy, 1) if legacy else None,
        "mean": 100 * sum(draw.probabilities.values()) / len(draw.probabilities),
    }


def profile(draw: Draw, points: int = 20) -> list[dict]:
    """The sorted probability curve at `points` percentiles, for the chart (both methods)."""
    ours = sorted(draw.probabilities.values())
    legacy = sorted(draw.legacy_probabilities.values())
    if not ours:
        return []
    out = []
    for i in range(points):
        at = int(i * (len(ours) - 1) / max(1, points - 1))
        out.append(
            {
                "percentile": round(100 * at / max(1, len(ours) - 1)),
                "percent": 100 * ours[at],
                "legacy_percent": 100 * legacy[at] if legacy else None,
            }
        )
    return out


def idea_draws_of(component: Component) -> QuerySet[IdeaDraw]:
    return IdeaDraw.objects.filter(component=component).select_related("source")


def public_idea_draws(components: Iterable[Component]) -> QuerySet[IdeaDraw]:
    """The drawings of ideas of these components (the caller gives public ones), with their
    ideas component and parties: what the public pages, the API and the open data read."""
    return IdeaDraw.objects.filter(component__in=list(components)).select_related("source").prefetch_related("parties")


def _shown(ids: Iterable[str]) -> set[str]:
    """Of these candidates' ids, those the public may still see (one query)."""
    numbers = [int(identifier) for identifier in ids if identifier.isdigit()]
    return {str(pk) for pk in ideas_api.public_ideas().filter(pk__in=numbers).values_list("pk", flat=True)}


def hidden_candidates(idea_draw: IdeaDraw, ids: list[str] | None = None) -> set[str]:
    """The candidates (of `ids`, else all) the public may no longer see: hidden by moderation
    since the candidates were frozen (or gone). Every read of a title goes through this."""
    if ids is None:
        ids = [entry[0] for entry in idea_draw.candidates.get("candidates", [])]
    return set(ids) - _shown(ids)


def _frozen_title(idea_draw: IdeaDraw, identifier: str) -> str:
    if identifier in idea_draw.titles:  # format 2: the titles beside the document
        return idea_draw.titles[identifier][0]
    for entry in idea_draw.candidates.get("candidates", []):  # format 1: in the document
        if entry[0] == identifier:
            return entry[1]
    return ""


def published_titles(idea_draw: IdeaDraw, hidden: set[str]) -> list[dict]:
    """A format-2 drawing's titles as the bundle publishes them, sorted by id: the title and
    its salt (anyone can check them against the commitments), or `hidden` for a title
    moderation hid (its commitment stays in the document, so the hash still checks)."""
    return [
        {"id": identifier, "hidden": True} if identifier in hidden else {"id": identifier, "title": title, "salt": salt}
        for identifier, (title, salt) in sorted(idea_draw.titles.items())
    ]


def idea_rows(idea_draw: IdeaDraw, hidden: set[str] | None = None) -> list[dict]:
    """The drawn ideas (id, title as frozen) in id order; an idea hidden by moderation
    since shows no title (`hidden`), only its id. `hidden`: already read (`drawn_idea_rows`)."""
    if hidden is None:
        hidden = hidden_candidates(idea_draw, list(idea_draw.drawn))
    return [
        {"id": identifier, "hidden": True, "title": ""}
        if identifier in hidden
        else {"id": identifier, "hidden": False, "title": _frozen_title(idea_draw, identifier)}
        for identifier in idea_draw.drawn
    ]


def drawn_idea_rows(idea_draws: Sequence[IdeaDraw]) -> dict[int, list[dict]]:
    """`idea_rows` of many drawings (a page of the API, a component's open data) with one
    query for all of them, whatever their number."""
    drawn = {identifier for idea_draw in idea_draws for identifier in idea_draw.drawn}
    hidden = drawn - _shown(drawn) if drawn else set()
    return {idea_draw.pk: idea_rows(idea_draw, hidden) for idea_draw in idea_draws}
