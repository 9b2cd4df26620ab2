"""Hooks of the budgets manifest: statistics, exports, search, demo seed;
and the exports of one budget's anonymised ballots (pabulib, CSV, JSON)."""

import io
import json

from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.components.budgets import seeds, selectors
from agora.components.budgets.counting import to_pabulib
from agora.components.budgets.models import Ballot, Budget, Project
from agora.core.csvfiles import SafeWriter
from agora.core.translations import translated
from agora.statistics import api as statistics
from agora.tally import pabulib


def stats(component):
    return stats_many([component])[component.pk]


def stats_many(components):
    """The figures of many budgets components, in three queries whatever their number."""
    ids = [component.pk for component in components]

    def per_component(model, path):
        return dict(
            model.objects.filter(**{f"{path}component_id__in": ids, f"{path}imported_from": ""})
            .order_by()
            .values_list(f"{path}component_id")
            .annotate(n=Count("id"))
            .values_list(f"{path}component_id", "n")
        )

    budgets, projects, ballots = (
        per_component(Budget, ""),
        per_component(Project, "budget__"),
        per_component(Ballot, "budget__"),
    )
    return {
        pk: [
            (_("Budgets"), budgets.get(pk, 0)),
            (_("Projects"), projects.get(pk, 0)),
            (_("Ballots"), ballots.get(pk, 0)),
        ]
        for pk in ids
    }


def _project_data(project, published, winners):
    return {
        "id": project.pk,
        "title": project.title,
        "cost": project.cost,
        "category": translated(project.category.name) if project.category_id else None,
        "scope": translated(project.scope.name) if project.scope_id else None,
        "address": project.address,
        "latitude": float(project.latitude) if project.latitude is not None else None,
        "longitude": float(project.longitude) if project.longitude is not None else None,
        "votes_online": project.votes_online if published else None,
        "votes_paper": project.votes_paper if published else None,
        "selected": project.pk in winners if published else None,
        "url": project.get_absolute_url(),
    }


def _public_budgets(component):
    if not component.is_public:
        return []
    budgets = selectors.component_budgets_with_projects(component)
    for budget in budgets:
        budget.component = component
    return budgets


def export_json(component):
    data = {
        "component": {"id": component.pk, "name": component.name, "url": component.get_absolute_url()},
        "budgets": [
            {
                "id": budget.pk,
                "title": budget.title,
                "envelope": budget.envelope,
                "rule": budget.rule,
                "method": budget.method,
                "completion": budget.completion,
                "results_published_at": budget.results_published_at.isoformat() if budget.results_published else None,
                "selected": budget.result.get("selected") if budget.results_published else None,
                "projects": [
                    _project_data(_with(p, component), budget.results_published, set(budget.winner_ids()))
                    for p in budget.projects.all()
                ],
            }
            for budget in _public_budgets(component)
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="budgets-{component.pk}.json"'
    return response


def _with(project, component):
    project.component = component
    return project


def export_csv(component):
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["budget_id", "budget", "project_id", "project", "cost", "votes_online", "votes_paper", "selected"])
    for budget in _public_budgets(component):
        winners = set(budget.winner_ids())
        for project in budget.projects.all():
            published = budget.results_published
            writer.writerow(
                [
                    budget.pk,
                    translated(budget.title),
                    project.pk,
                    translated(project.title),
                    project.cost,
                    project.votes_online if published else "",
                    project.votes_paper if published else "",
                    (1 if project.pk in winners else 0) if published else "",
                ]
            )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budgets-{component.pk}.csv"'
    return response


def open_data_budgets(component):
    """The budgets of a public component, with their published winners (open-data table "budgets")."""
    for budget in _public_budgets(component):
        published = budget.results_published
        yield {
            "id": budget.pk,
            "title": dict(budget.title or {}),
            "envelope": budget.envelope,
            "rule": budget.rule,
            "method": budget.method,
            "completion": budget.completion,
            "results_published_at": budget.results_published_at.isoformat() if published else None,
            "selected": list(budget.winner_ids()) if published else None,
        }


def open_data_projects(component):
    """The projects of the budgets of a public component; votes and selection once
    the results are published (open-data table "projects")."""
    for budget in _public_budgets(component):
        published, winners = budget.results_published, set(budget.winner_ids())
        for project in budget.projects.all():
            project.budget = budget
            row = _project_data(_with(project, component), published, winners)
            yield {**row, "budget_id": budget.pk, "title": dict(project.title or {})}


def open_data_files(component):
    """The open record of each published count of a public component: the pabulib
    file frozen with the results (anonymised ballots, anyone recounts it), as the
    results page serves it (the open-data zip's pabulib files)."""
    if not component.is_public:
        return
    for budget in Budget.objects.filter(component=component, results_published_at__isnull=False).order_by("pk"):
        record = selectors.open_record(budget)
        if record is not None:
            yield f"budget-{budget.pk}.pb", record.pb_text


def search(component):
    results = []
    for budget in _public_budgets(component):
        for project in budget.projects.all():
            project.component = component
            project.budget = budget
            results.append(
                (translated(project.title), strip_tags(translated(project.description)), project.get_absolute_url())
            )
    return results


def seed(component):
    seeds.seed(component)


# --- one budget's anonymised ballots (back-office) -------------------------------


def _attachment(response, budget, extension):
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.pk}-ballots.{extension}"'
    return response


def export_pb(budget):
    text = pabulib.dumps(to_pabulib(budget))
    return _attachment(HttpResponse(text, content_type="text/plain; charset=utf-8"), budget, "pb")


def export_ballots_csv(budget):
    """One line per ballot and project: ballot (random public id), channel,
    reference (batch or station), project, value. Imported station counts
    follow as (station, project, votes)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["ballot", "channel", "reference", "project_id", "value"])
    for receipt, channel, reference, choices in selectors.anonymous_ballots(budget):
        if not choices:
            writer.writerow([receipt, channel, reference, "", ""])
        for project_id, value in sorted(choices.items()):
            writer.writerow([receipt, channel, reference, project_id, value])
    for station, project_id, votes in selectors.station_counts(budget):
        writer.writerow(["", "paper_count", station, project_id, votes])
    return _attachment(HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8"), budget, "csv")


def export_ballots_json(budget):
    data = {
        "budget": {
            "id": budget.pk,
            "title": budget.title,
            "envelope": budget.envelope,
            "rule": budget.rule,
            "method": budget.method,
            "completion": budget.completion,
        },
        "projects": [
            {"id": p.pk, "title": p.title, "cost": p.cost, "category_id": p.category_id}
            for p in Project.objects.filter(budget=budget)
        ],
        "ballots": [
            {
                "id": receipt,
                "channel": channel,
                "reference": reference,
                "choices": {str(k): v for k, v in sorted(choices.items())},
            }
            for receipt, channel, reference, choices in selectors.anonymous_ballots(budget)
        ],
        "paper_counts": [
            {"station": station, "project_id": project_id, "votes": votes}
            for station, project_id, votes in selectors.station_counts(budget)
        ],
        "result": budget.result if budget.results_published else None,
    }
    return _attachment(
        HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"), budget, "json"
    )


BUDGET_EXPORTS = {"pb": export_pb, "csv": export_ballots_csv, "json": export_ballots_json}


def open_record_csv(pb_text: str) -> str:
    """The open record's ballots as CSV, read from its pabulib file (so the two
    downloads say the same): ballot (1..N, as in the file), project_id (as in
    the file), value (1 for an approval, the points, or the rank, 1 = first)."""
    pb = pabulib.loads(pb_text)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["ballot", "project_id", "value"])
    ranking = pb.vote_type == "ordinal"
    for row in pb.votes:
        ids = [pid for pid in (row.get("vote") or "").split(",") if pid]
        points = [value for value in (row.get("points") or "").split(",") if value]
        if not ids:  # an empty ballot counts too (equal shares gives it its share)
            writer.writerow([row["voter_id"], "", ""])
        for position, pid in enumerate(ids):
            value = points[position] if points else (position + 1 if ranking else 1)
            writer.writerow([row["voter_id"], pid, value])
    return buffer.getvalue()


def participation(component):
    """Every ballot of the component's budgets (past editions imported for recounting left out)."""
    ballots = (
        Ballot.objects.filter(budget__component=component, budget__imported_from="")
        .values_list("created_at", "channel", "voter_id", "budget__scope_id")
        .iterator(chunk_size=5000)
    )
    for created_at, channel, voter_id, scope_id in ballots:
        yield statistics.Event(
            statistics.BALLOT,
            channel,
            timezone.localdate(created_at),
            voter_id,
            scope_id if voter_id is None else None,
        )


def participant_ids(components):
    """Who voted in these components (online or at a desk: a paper ballot has no voter)."""
    return Ballot.objects.filter(budget__component__in=components, voter__isnull=False).values_list(
        "voter_id", flat=True
    )


def personal_data(person):
    """The person's ballots by their receipt code, never their choices ("download my data")."""
    yield (
        "ballots",
        Ballot.objects.filter(voter=person)
        .order_by("pk")
        .values("budget_id", "budget__component_id", "receipt", "channel", "created_at", "updated_at"),
    )
