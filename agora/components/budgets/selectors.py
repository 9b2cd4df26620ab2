"""Reads of the budgets component."""

import copy
import hashlib
from collections.abc import Iterable
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet, Sum

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.components.budgets.ballot_rules import ProjectInfo, RuleSpec, check_ballot, score
from agora.components.budgets.models import (
    Ballot,
    BallotRecord,
    Budget,
    Choice,
    Incompatibility,
    Override,
    PaperCount,
    Project,
)
from agora.components.models import Component
from agora.core import pagecache
from agora.core.translations import translated
from agora.verifications.selectors import verified_attributes


def budgets_of(component: Component) -> QuerySet[Budget]:
    """Budgets open to a vote (not the past editions imported from .pb files)."""
    return Budget.objects.filter(component=component, imported_from="").select_related("scope")


def all_budgets(component: Component) -> QuerySet[Budget]:
    return Budget.objects.filter(component=component).select_related("scope")


def ballot_for_receipt(component: Component, code: str) -> Ballot | None:
    """The ballot of a budget of `component` (not an imported past edition) whose
    receipt is `code` (stored form), with its budget; None if there is none."""
    return (
        Ballot.objects.select_related("budget")
        .filter(receipt=code, budget__component=component, budget__imported_from="")
        .first()
    )


def budget_for(component: Component, budget_id: int | str) -> Budget | None:
    """The budget with its projects' costs (project_infos), kept per process
    for the settings version (agora.core.pagecache.memo); a copy per call."""

    def load() -> Budget | None:
        budget = all_budgets(component).filter(pk=budget_id).first()
        if budget is not None:
            project_infos(budget)
        return budget

    shared = pagecache.memo(("budget", component.pk, int(budget_id)), load)
    if shared is None:
        return None
    budget = copy.copy(shared)
    budget.component = component
    return budget


def projects_of(budget: Budget) -> list[Project]:
    projects = list(
        Project.objects.filter(budget=budget).select_related("category", "scope").prefetch_related("documents")
    )
    for project in projects:
        project.component = budget.component
        project.budget = budget
    return projects


def map_points(projects: Iterable[Project]) -> list[dict]:
    """The located projects as plain data (the map's JSON and its list), in the ballot's order."""
    return [
        {
            "id": project.pk,
            "number": number,
            "title": translated(project.title),
            "address": project.address,
            "lat": float(project.latitude),  # type: ignore[arg-type]  # located
            "lng": float(project.longitude),  # type: ignore[arg-type]  # located
            "url": project.get_absolute_url(),
            "cost": project.cost,
        }
        for number, project in enumerate(
            (p for p in projects if p.latitude is not None and p.longitude is not None), start=1
        )
    ]


def project_infos(budget: Budget) -> dict[int, ProjectInfo]:
    """What the ballot rules need about the projects: one query, memoised on
    the budget object (costs cannot change once voting has started)."""
    cached = budget.__dict__.get("_project_infos")
    if cached is None:
        cached = budget.__dict__["_project_infos"] = {
            pk: ProjectInfo(pk, cost, category_id)
            for pk, cost, category_id in Project.objects.filter(budget=budget).values_list("id", "cost", "category_id")
        }
    return cached


def _random_index(component: Component, user: User, count: int) -> int:
    digest = hashlib.sha256(f"agora-budgets:{component.pk}:{user.pk}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def voter_budget_ids(component: Component, user: User | AnonymousUser) -> set[int]:
    """The budgets this person may vote in under the component's setting
    ("all", "one" of their choice, their "district", one at "random"),
    memoised on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    user = cast(User, user)  # (signed in)
    cache = user.__dict__.setdefault("_agora_budget_ids", {})
    if component.pk in cache:
        return cache[component.pk]
    budgets = list(budgets_of(component).order_by("id").values_list("id", "scope_id"))
    ids = [pk for pk, _scope in budgets]
    mode = component.settings_of().budget_choice
    if mode == "one":
        chosen = list(
            Ballot.objects.filter(voter=user, exclusive_component=component).values_list("budget_id", flat=True)
        )
        result = set(chosen) if chosen else set(ids)
    elif mode == "district":
        scope_id = verified_attributes(user, component.space.organization).scope_id
        result = {pk for pk, scope in budgets if scope is None or (scope_id is not None and scope == scope_id)}
    elif mode == "random":
        result = {ids[_random_index(component, user, len(ids))]} if ids else set()
    else:
        result = set(ids)
    cache[component.pk] = result
    return result


def forget_voter_budgets(user: User) -> None:
    user.__dict__.pop("_agora_budget_ids", None)


def ballot_of(budget: Budget, user: User | AnonymousUser) -> Ballot | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Ballot.objects.filter(budget=budget, voter=cast(User, user)).prefetch_related("choices").first()


def choices_of(ballot: Ballot | None) -> dict[int, int]:
    return {choice.project_id: choice.value for choice in ballot.choices.all()} if ballot else {}


def ballots_for_count(budget: Budget) -> list[dict[int, int]]:
    """Every individual ballot of a budget as {project id: value}, in ballot
    order (ids only: nothing about the voters). Two queries."""
    ballots: dict[int, dict[int, int]] = {
        pk: {} for pk in Ballot.objects.filter(budget=budget).order_by("id").values_list("id", flat=True)
    }
    for ballot_id, project_id, value in Choice.objects.filter(ballot__budget=budget).values_list(
        "ballot_id", "project_id", "value"
    ):
        ballots[ballot_id][project_id] = value
    return list(ballots.values())


def anonymous_ballots(budget: Budget) -> list[tuple[Any, ...]]:
    """(public id, channel, reference, {project id: value}) per ballot, in
    public id order: random ids, unrelated to the receipt, the voter or the
    time of the vote."""
    rows: dict[int, list[Any]] = {
        pk: [public_id, channel, reference, {}]
        for pk, public_id, channel, reference in Ballot.objects.filter(budget=budget)
        .order_by("public_id")
        .values_list("id", "public_id", "channel", "reference")
    }
    for ballot_id, project_id, value in Choice.objects.filter(ballot__budget=budget).values_list(
        "ballot_id", "project_id", "value"
    ):
        rows[ballot_id][3][project_id] = value
    return [tuple(row) for row in rows.values()]


def station_counts(budget: Budget) -> list[tuple[str, int, int]]:
    """[(station, project id, votes)] of the imported paper counts."""
    return list(
        PaperCount.objects.filter(project__budget=budget)
        .order_by("station", "project_id")
        .values_list("station", "project_id", "votes")
    )


def voter_ids_for_projects(project_ids: Iterable[int]) -> set[int]:
    """People who chose one of these projects (for the follow-up component's
    notifications; never shown anywhere)."""
    return set(
        Choice.objects.filter(project_id__in=list(project_ids), ballot__voter__isnull=False)
        .values_list("ballot__voter_id", flat=True)
        .distinct()
    )


def integrity_problems(budget: Budget) -> list[str]:
    """Every counter equals its rows, one ballot per person, and no stored
    ballot breaks the budget's rule. Empty list: all is well."""
    problems = []

    spec = RuleSpec.of(budget)
    rows = {pk: [0, 0, 0, 0] for pk in Project.objects.filter(budget=budget).values_list("id", flat=True)}
    for project_id, channel, value in Choice.objects.filter(ballot__budget=budget).values_list(
        "project_id", "ballot__channel", "value"
    ):
        paper = channel == Ballot.Channel.PAPER
        rows[project_id][1 if paper else 0] += 1
        rows[project_id][3 if paper else 2] += score(spec, value)
    for project_id, votes in PaperCount.objects.filter(project__budget=budget).values_list("project_id", "votes"):
        rows[project_id][1] += votes
    for pk, votes_online, votes_paper, points_online, points_paper in Project.objects.filter(budget=budget).values_list(
        "id", "votes_online", "votes_paper", "points_online", "points_paper"
    ):
        if [votes_online, votes_paper, points_online, points_paper] != rows[pk]:
            problems.append(
                f"project {pk}: counters {[votes_online, votes_paper, points_online, points_paper]} != rows {rows[pk]}"
            )
    duplicates = (
        Ballot.objects.filter(budget=budget, voter__isnull=False)
        .values("voter")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    if duplicates:
        problems.append(f"{duplicates} people have more than one ballot")
    if budget.imported_from:
        return problems  # a past edition's ballots followed that edition's rules, unknown here
    infos = project_infos(budget)
    broken = sum(1 for ballot in ballots_for_count(budget) if check_ballot(spec, infos, ballot))
    if broken:
        problems.append(f"{broken} ballots break the rule")
    return problems


def budget_totals(budget: Budget) -> dict:
    totals = Project.objects.filter(budget=budget).aggregate(online=Sum("votes_online"), paper=Sum("votes_paper"))
    by_channel = dict(Ballot.objects.filter(budget=budget).values_list("channel").annotate(n=Count("id")))
    return {
        "ballots": sum(by_channel.values()),
        "ballots_online": by_channel.get("online", 0) + by_channel.get("desk", 0),
        "ballots_paper": by_channel.get("paper", 0),
        "votes_online": totals["online"] or 0,
        "votes_paper": totals["paper"] or 0,
    }


def component_budgets_with_projects(component: Component) -> list[Budget]:
    return list(
        budgets_of(component).prefetch_related(
            Prefetch("projects", queryset=Project.objects.select_related("category", "scope"))
        )
    )


def vote_state(budget: Budget) -> str:
    """The one answer every page, the permission rule and the services give to
    "may people vote in this budget now?":
    - "imported": a past edition imported for recounting (never voted in here);
    - "published": the results are published: the vote is over, whatever the phase
      says (to reopen it, the officer withdraws the results first);
    - "open": the active phase has votes enabled;
    - "closed": otherwise (not yet open, or closed)."""
    if budget.imported_from:
        return "imported"
    if budget.results_published:
        return "published"
    if budget.component.phase_settings_of().votes_enabled:
        return "open"
    return "closed"


def voter_ids_of_budget(budget: Budget) -> list[int]:
    """The people who have a ballot in this budget (online, desk, paper with
    identity), to tell them about its results; never shown anywhere."""
    return list(
        Ballot.objects.filter(budget=budget, voter__isnull=False)
        .order_by("voter_id")
        .values_list("voter_id", flat=True)
    )


def publication_changes(budget: Budget, selected: Iterable[int | str]) -> dict:
    """What publishing the winners `selected` (project ids as strings, in
    selection order) changes compared with what the public sees now:
    {"first": nothing is published, "added", "dropped", "kept": project ids as strings,
    "changed": how many are added or dropped}."""
    published = [str(pk) for pk in budget.winner_ids()]
    selected = [str(pk) for pk in selected]
    added = [pk for pk in selected if pk not in published]
    dropped = [pk for pk in published if pk not in selected]
    return {
        "first": not budget.results_published,
        "added": added,
        "dropped": dropped,
        "kept": [pk for pk in selected if pk in published],
        "changed": len(added) + len(dropped),
    }


def public_log(budget: Budget, projects: Iterable[Project] | None = None) -> list[ActionLog]:
    """The public log of a budget (publications, changes and withdrawals of
    its results with their reasons, the tie-breaking draw, the city's decisions
    on the count), oldest first, each entry with the titles of the projects its
    data names (`entry.names`: key -> [titles])."""
    entries = list(
        ActionLog.objects.filter(
            target_type=ContentType.objects.get_for_model(Budget),
            target_id=str(budget.pk),
            visibility=ActionLog.Visibility.PUBLIC,
        ).order_by("created_at", "id")
    )
    projects = projects if projects is not None else Project.objects.filter(budget=budget)
    titles = {str(project.pk): translated(project.title) for project in projects}
    for entry in entries:
        # For the template: the titles of the projects each entry names.
        setattr(
            entry,
            "names",
            {
                key: [titles.get(str(pk), str(pk)) for pk in entry.data.get(key) or []]
                for key in ("selected", "added", "dropped", "order", "projects")
            },
        )
    return entries


def withdrawal(budget: Budget) -> ActionLog | None:
    """The public log entry of the last withdrawal of the results, while they
    are withdrawn (the budget page says so, with the reason); else None."""
    if budget.results_published or budget.imported_from:
        return None

    last = (
        ActionLog.objects.filter(
            target_type=ContentType.objects.get_for_model(Budget),
            target_id=str(budget.pk),
            visibility=ActionLog.Visibility.PUBLIC,
            verb__in=["budgets.results_withdrawn", "budgets.results_published", "budgets.results_republished"],
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return last if last is not None and last.verb == "budgets.results_withdrawn" else None


def decisions_of(budget: Budget) -> dict:
    """The city's current decisions on the count of `budget`, with their projects."""
    return {
        "incompatibilities": list(Incompatibility.objects.filter(budget=budget).select_related("first", "second")),
        "overrides": list(Override.objects.filter(budget=budget).select_related("project")),
    }


def ballot_page_notes(budget: Budget) -> tuple[ActionLog | None, list[Incompatibility]]:
    """What the ballot page shows besides the projects: (the withdrawal of the
    results or None, the incompatible pairs of projects), kept per process for
    the settings version (agora.core.pagecache.memo): publishing, withdrawing
    and the city's decisions all write the budget or its decisions' tables,
    which moves it. For the page only: the services read their own."""
    return pagecache.memo(
        ("budget_notes", budget.pk),
        lambda: (
            withdrawal(budget),
            list(Incompatibility.objects.filter(budget=budget).select_related("first", "second")),
        ),
    )


def open_record(budget: Budget) -> BallotRecord | None:
    """The anonymised ballots frozen when the results were published (or None)."""
    return BallotRecord.objects.filter(budget=budget).first()


def open_record_summary(budget: Budget) -> BallotRecord | None:
    """What the results page says of the open record, without its text."""
    return BallotRecord.objects.filter(budget=budget).only("sha256", "ballots", "created_at", "budget_id").first()


def public_projects(component: Component) -> list[Project]:
    """The projects of every budget of a public component, as its pages show them
    (nothing of a component that is not public): what the worker machine-translates."""
    if not component.is_public:
        return []
    projects = list(Project.objects.filter(budget__component=component).order_by("pk"))
    for project in projects:
        project.component = component
    return projects


def project_of(component: Component, project_id: int) -> Project | None:
    """One project of a budget of the component, with its budget (its page's, an embed card)."""
    project = Project.objects.filter(budget__component=component, pk=project_id).select_related("budget").first()
    if project is not None:
        project.component = component
        project.budget.component = component
    return project
