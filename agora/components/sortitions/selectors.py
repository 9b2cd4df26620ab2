"""Reads of the sortitions component."""

from django.db.models import Count, QuerySet

from agora.components.models import Component
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


def idea_rows(idea_draw: IdeaDraw) -> list[dict]:
    """The drawn ideas (id, title as published) in id order."""
    titles = {identifier: title for identifier, title in idea_draw.candidates.get("candidates", [])}
    return [{"id": identifier, "title": titles.get(identifier, "")} for identifier in idea_draw.drawn]
