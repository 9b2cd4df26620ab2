"""Hooks of the debates manifest: statistics, export, search, open data and the
demo seed. None of them reads a hidden debate or anything personal."""

import io

from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.components.debates import seeds, selectors
from agora.components.debates.models import Debate, DebateLike, closed_condition, open_condition
from agora.components.registry import UpcomingItem
from agora.core.csvfiles import SafeWriter
from agora.core.translations import translated
from agora.statistics import api as statistics


def _opened_by(debate, organization) -> str:
    if debate.official or debate.author is None:
        return organization.name
    return debate.author.public_name


def _iso(value):
    return value.isoformat() if value else None


def stats(component):
    return stats_many([component])[component.pk]


def stats_many(components):
    """The figures of many debates components, in two queries whatever their
    number: their visible debates (open or closed, marked in the query), and
    the counts of the comments of all of them (selectors.summaries)."""
    ids = [component.pk for component in components]
    now = timezone.now()
    rows = list(
        Debate.objects.filter(component_id__in=ids)
        .visible()
        .order_by()
        .annotate(
            is_open=ExpressionWrapper(open_condition(now), output_field=BooleanField()),
            is_closed=ExpressionWrapper(closed_condition(now), output_field=BooleanField()),
        )
        .values_list("pk", "component_id", "is_open", "is_closed")
    )
    figures = selectors.summaries([Debate(pk=pk) for pk, *_rest in rows])
    totals = {pk: [0, 0, 0, 0, 0, 0] for pk in ids}
    for debate_id, component_id, is_open, is_closed in rows:
        summary = figures[debate_id]
        for index, value in enumerate(
            (1, bool(is_open), bool(is_closed), summary.comments, summary.for_count, summary.against_count)
        ):
            totals[component_id][index] += int(value)
    return {
        pk: list(
            zip(
                (
                    _("Debates"),
                    _("Debates open"),
                    _("Debates closed"),
                    _("Comments on debates"),
                    _("Arguments for"),
                    _("Arguments against"),
                ),
                figures_of,
                strict=True,
            )
        )
        for pk, figures_of in totals.items()
    }


def export_csv(component):
    """The public debates with their figures (no personal data: an author is
    their public name, the organization for an official debate)."""
    organization = component.space.organization
    debates = selectors.public_debates(component)
    figures = selectors.summaries(debates)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(
        [
            "id",
            "title",
            "official",
            "opened_by",
            "category",
            "scope",
            "state",
            "starts_at",
            "ends_at",
            "closed_at",
            "comments",
            "for",
            "against",
            "neutral",
            "conclusions",
            "url",
        ]
    )
    for debate in debates:
        summary = figures[debate.pk]
        writer.writerow(
            [
                debate.pk,
                translated(debate.title),
                int(debate.official),
                _opened_by(debate, organization),
                translated(debate.category.name) if debate.category else "",
                translated(debate.scope.name) if debate.scope else "",
                debate.state,
                _iso(debate.starts_at) or "",
                _iso(debate.ends_at) or "",
                _iso(debate.closed_at) or "",
                summary.comments,
                summary.for_count,
                summary.against_count,
                summary.neutral_count,
                strip_tags(translated(debate.conclusions)),
                debate.get_absolute_url(),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="debates-{component.pk}.csv"'
    return response


def open_data_debates(component):
    """The public debates of a public component (the manifest's open-data table "debates")."""
    organization = component.space.organization
    debates = selectors.public_debates(component)
    figures = selectors.summaries(debates)
    for debate in debates:
        summary = figures[debate.pk]
        yield {
            "id": debate.pk,
            "title": dict(debate.title or {}),
            "description": dict(debate.description or {}),
            "official": debate.official,
            "opened_by": _opened_by(debate, organization),
            "category": translated(debate.category.name) if debate.category else None,
            "scope": translated(debate.scope.name) if debate.scope else None,
            "state": debate.state,
            "starts_at": _iso(debate.starts_at),
            "ends_at": _iso(debate.ends_at),
            "closed_at": _iso(debate.closed_at),
            "conclusions": dict(debate.conclusions or {}),
            "comments": summary.comments,
            "for": summary.for_count,
            "against": summary.against_count,
            "neutral": summary.neutral_count,
            "url": debate.get_absolute_url(),
        }


def search(component):
    return [
        (
            translated(debate.title),
            strip_tags(" ".join((translated(debate.description), translated(debate.conclusions)))).strip(),
            debate.get_absolute_url(),
        )
        for debate in selectors.public_debates(component)
    ]


def seed(component):
    seeds.seed(component)


def participation(component):
    """Debates opened by participants (their comments are the comments' own source)."""
    debates = (
        Debate.objects.filter(component=component, official=False, author__isnull=False)
        .values_list("created_at", "author_id")
        .iterator(chunk_size=5000)
    )
    for created_at, author_id in debates:
        yield statistics.Event(statistics.DEBATE, statistics.ONLINE, timezone.localdate(created_at), author_id)


def participant_ids(components):
    """Who opened a debate in these components (those who commented are the comments' own)."""
    return Debate.objects.filter(component__in=components, author__isnull=False).values_list("author_id", flat=True)


def upcoming(components):
    """Debates of public components that open on a date still to come (a newsletter announces them)."""
    debates = (
        Debate.objects.filter(component__in=[component for component in components if component.is_public])
        .upcoming()
        .visible()
        .select_related("component__space")
        .order_by("starts_at", "pk")
    )
    return [
        UpcomingItem(f"debates.Debate:{debate.pk}", debate.title, debate.starts_at, debate.get_absolute_url())
        for debate in debates
    ]


def personal_data(person):
    """The debates the person opened and liked ("download my data")."""
    yield (
        "debates",
        Debate.objects.filter(author=person)
        .order_by("pk")
        .values("id", "component_id", "title", "description", "created_at", "closed_at"),
    )
    yield "likes", DebateLike.objects.filter(person=person).order_by("pk").values("debate_id", "created_at")
