"""Hooks of the citizen-vote manifest: statistics, the recount export, search,
open data, participation and the demo seed. Nothing here names a voter."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.components.votations import seeds, selectors
from agora.components.votations.models import Ballot, Votation
from agora.core.csvfiles import SafeWriter
from agora.core.translations import translated
from agora.statistics import api as statistics


def stats(component):
    votations = Votation.objects.filter(component=component).exclude(state=Votation.State.DRAFT)
    ballots = Ballot.objects.filter(votation__in=votations)
    return [
        (_("Votes held"), votations.count()),
        (_("Votes open"), votations.filter(state=Votation.State.OPEN).count()),
        (_("Ballots entered one by one"), ballots.count()),
        (_("Ballots online or at a desk"), ballots.exclude(channel=Ballot.Channel.PAPER).count()),
    ]


def recount_rows(votation: Votation) -> list[list]:
    """The anonymised ballots of one vote, shuffled (selectors.anonymised_ballots), as rows."""
    questions, lines = selectors.anonymised_ballots(votation)
    rows: list[list] = [["votation", *[f"Q{question.position} {translated(question.title)}" for question in questions]]]
    rows += [[votation.pk, *line] for line in lines]
    return rows


def recount_csv(votation: Votation) -> HttpResponse:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    for row in recount_rows(votation):
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="votation-{votation.pk}-ballots.csv"'
    return response


def export_csv(component):
    """Every vote of the component that is closed, its anonymised ballots (for a recount):
    one line per ballot, the option numbers marked per question, in a shuffled order."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["votation", "title", "question", "ballot", "marks"])
    for votation in Votation.objects.filter(component=component, state=Votation.State.CLOSED).order_by("id"):
        questions, lines = selectors.anonymised_ballots(votation)
        for number, line in enumerate(lines, start=1):
            for question, cell in zip(questions, line, strict=True):
                writer.writerow([votation.pk, translated(votation.title), translated(question.title), number, cell])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="votations-{component.pk}.csv"'
    return response


def _iso(value):
    return value.isoformat() if value else None


def open_data_votations(component):
    for votation in selectors.public_votations(component):
        figures = selectors.turnout(votation) if votation.results_visible else None
        yield {
            "id": votation.pk,
            "title": dict(votation.title or {}),
            "state": votation.state,
            "opens_at": _iso(votation.opens_at),
            "closes_at": _iso(votation.closes_at),
            "electorate": votation.electorate,
            "ballots_online": figures.online if figures else None,
            "ballots_paper": figures.paper if figures else None,
            "initiative_url": votation.initiative_url or None,
            "url": votation.get_absolute_url(),
        }


def open_data_results(component):
    for votation in selectors.public_votations(component):
        if not votation.results_visible:
            continue
        _turnout, found = selectors.results(votation)
        for result in found:
            for option in result.options:
                yield {
                    "votation": votation.pk,
                    "title": dict(votation.title or {}),
                    "question": dict(result.question.title or {}),
                    "option": dict(option.label or {}),
                    "votes_online": option.votes_online,
                    "votes_paper": option.votes_paper,
                    "points": option.points_total,
                    "adopted": result.adopted,
                    "url": votation.get_absolute_url(),
                }


def search(component):
    found = []
    for votation in selectors.public_votations(component):
        found.append(
            (
                translated(votation.title),
                strip_tags(translated(votation.description)).strip(),
                votation.get_absolute_url(),
            )
        )
    return found


def participation(component):
    """Every ballot entered one by one (a polling station's box is a total, not counted here)."""
    rows = Ballot.objects.filter(votation__component=component).values_list("created_at", "channel", "voter_id")
    for created_at, channel, voter_id in rows.iterator(chunk_size=5000):
        yield statistics.Event(statistics.BALLOT, channel, timezone.localdate(created_at), voter_id, None)


def participant_ids(components):
    return Ballot.objects.filter(votation__component__in=components, voter__isnull=False).values_list(
        "voter_id", flat=True
    )


def seed(component):
    seeds.seed(component)


def personal_data(person):
    """The person's ballots in citizen votes by their receipt code, never their marks ("download my data")."""
    yield (
        "ballots",
        Ballot.objects.filter(voter=person).order_by("pk").values("votation_id", "receipt", "channel", "created_at"),
    )
