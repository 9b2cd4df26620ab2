"""The bridge between a budget and the counting library (agora.tally).

Nothing is counted here: this module only turns a budget's stored ballots
into an `agora.tally.Election`, calls the library's `greedy` or `mes`, and
turns pabulib files into budgets and back.

Paper counts imported per polling station have no individual ballots: they
are allowed only for approval-type budgets counted greedily, and enter the
election as one-project ballots (greedy only looks at the number of votes per
project, so the result is the same). Exports write them the same way, with
ballot ids "station:<reference>:<n>", so recounting an export gives the
published result.
"""

from django.utils import timezone

from agora.components.budgets import selectors
from agora.components.budgets.ballot_rules import TALLY_KIND
from agora.components.budgets.models import Budget, Incompatibility, Override, Project
from agora.tally import Decisions, Election, Kind, cost_votes_draw_order, decided, greedy, mes, pabulib
from agora.tally import Project as TallyProject
from agora.tally.pabulib import TIE_BREAKING


def tally_kind(budget) -> Kind:
    """The shape of the budget's ballots in the count (its rule's, ballot_rules.TALLY_KIND)."""
    return TALLY_KIND[budget.rule]


def counting_ids(projects) -> dict[int, str]:
    """The id each project has in the count and in exports: the database id,
    or for a past edition imported from a pabulib file, the id written in
    that file. Ties are broken on these ids, so a recount of an imported
    edition gives the file's result whatever database ids its projects got."""
    return {p.pk: (p.external_id or str(p.pk)) for p in projects}


def _tally_ballot(kind, choices: dict[int, int], ids: dict[int, str]):
    if kind == Kind.POINTS:
        return {ids[pk]: value for pk, value in choices.items()}
    if kind == Kind.RANKING:
        return [ids[pk] for pk, _rank in sorted(choices.items(), key=lambda item: item[1])]
    return {ids[pk] for pk in choices}


def _projects_of(budget):
    return list(Project.objects.filter(budget=budget))


def election_ballots(budget, ids: dict[int, str] | None = None):
    """(ballot id for exports, tally ballot) for every ballot and every imported paper vote."""
    ids = ids if ids is not None else counting_ids(_projects_of(budget))
    kind = tally_kind(budget)
    rows = []
    for receipt, _channel, _reference, choices in selectors.anonymous_ballots(budget):
        rows.append((receipt, _tally_ballot(kind, choices, ids)))
    per_station: dict[str, int] = {}
    for station, project_id, votes in selectors.station_counts(budget):
        for _n in range(votes):
            per_station[station] = per_station.get(station, 0) + 1
            rows.append((f"station:{station}:{per_station[station]}", {ids[project_id]}))
    return rows


def election_of(budget, projects=None, rows=None):
    """The budget as an election; `rows`: (id, ballot) pairs already read (election_ballots)."""
    projects = projects if projects is not None else _projects_of(budget)
    ids = counting_ids(projects)
    rows = rows if rows is not None else election_ballots(budget, ids)
    return Election(
        projects=[
            TallyProject(
                id=ids[p.pk], cost=p.cost, name=str(p), categories=(str(p.category_id),) if p.category_id else ()
            )
            for p in projects
        ],
        budget=budget.envelope,
        kind=tally_kind(budget),
        ballots=[ballot for _id, ballot in rows],
    )


def _content_key(kind: str, ballot):
    """A ballot's place in the public file: its content only (identical
    ballots are interchangeable), never when or by whom it was cast."""
    if kind == Kind.POINTS:
        return tuple(sorted((pid, str(points)) for pid, points in ballot.items()))
    if kind == Kind.RANKING:
        return tuple(ballot)
    return tuple(sorted(ballot))


def anonymous_rows(budget, ids: dict[int, str]):
    """Every ballot (online, desk, paper, imported station counts) as
    (number, tally ballot), ordered by content and numbered 1..N: no receipt,
    no public id, no batch or station, nothing that leads to a person."""
    kind = tally_kind(budget)
    ballots = sorted(
        (ballot for _id, ballot in election_ballots(budget, ids)), key=lambda ballot: _content_key(kind, ballot)
    )
    return [(str(number), ballot) for number, ballot in enumerate(ballots, start=1)]


def min_score(budget, ballots: int) -> int:
    """The votes (points for a points ballot) a project needs to be funded: the
    budget's minimum, the share of the ballots, and never 0 for a vote held here
    (a project nobody voted for is never funded). A past edition imported from a
    pabulib file keeps that file's threshold, so that its recount equals the file's."""
    share = -(-budget.min_votes_percent * ballots // 100)  # rounded up
    floor = 0 if budget.imported_from else 1
    return max(floor, budget.min_votes, share)


def tie_order(budget, election, ids: dict[int, str]) -> list[str] | None:
    """The published tie-breaking order, as counting ids: lowest cost, then most
    votes, then the order drawn when the vote opened (budget.tie_draw). None for a
    past edition imported without one: ties then go by the file's ids, as pabutools."""
    if budget.imported_from and not budget.tie_draw:
        return None
    drawn = [ids[pk] for pk in budget.tie_draw or [] if pk in ids]
    return cost_votes_draw_order(election, drawn)


def decisions_of(budget, ids: dict[int, str]):
    """The city's decisions on the count of `budget` (overrides, incompatible
    projects) as an `agora.tally.Decisions` of counting ids, and their
    reasons: ({"funded": ..., "excluded": ..., "incompatible": ...} of database
    ids as strings with reasons, for the frozen result)."""
    overrides = list(Override.objects.filter(budget=budget).order_by("id"))
    pairs = list(Incompatibility.objects.filter(budget=budget).order_by("id"))
    decisions = Decisions.of(
        funded=[ids[o.project_id] for o in overrides if o.decision == Override.Decision.FUND],
        excluded=[ids[o.project_id] for o in overrides if o.decision == Override.Decision.EXCLUDE],
        incompatible=[(ids[pair.first_id], ids[pair.second_id]) for pair in pairs],
    )
    described = {
        "overrides": [{"project": str(o.project_id), "decision": o.decision, "reason": o.reason} for o in overrides],
        "incompatibilities": [
            {"projects": [str(pair.first_id), str(pair.second_id)], "reason": pair.reason} for pair in pairs
        ],
    }
    return decisions, described


RULES = (("greedy", "none"), ("mes", "none"), ("mes", "add1"))


def count(budget, method: str | None = None, completion: str | None = None) -> dict:
    """Count a budget under its chosen method (or, for the staff's comparison,
    `method` and `completion`), its minimum of votes, its published
    tie-breaking order and the city's decisions (funded or excluded projects,
    incompatible projects: agora.tally.constraints): what the preview shows
    and what publishing freezes. Project ids in the result are the database
    ids as strings (whatever ids the count itself used)."""
    method = method or budget.method
    completion = completion or budget.completion
    projects = _projects_of(budget)
    ids = counting_ids(projects)
    pk_of = {counting_id: str(pk) for pk, counting_id in ids.items()}
    election = election_of(budget, projects)
    threshold = min_score(budget, len(election.ballots))
    order = tie_order(budget, election, ids)
    decisions, described = decisions_of(budget, ids)
    if method == Budget.Method.MES:

        def rule(counted):
            return mes(counted, completion=completion, min_score=threshold, tie_order=order)
    else:

        def rule(counted):
            return greedy(counted, min_score=threshold, tie_order=order)

    result = decided(election, rule, decisions)
    data = result.as_dict()
    return {
        "selected": [pk_of[counting_id] for counting_id in data["selected"]],
        "total_cost": data["total_cost"],
        "votes": {pk_of[counting_id]: votes for counting_id, votes in data["votes"].items()},
        "method": method,
        "completion": completion if method == Budget.Method.MES else "none",
        "ballots": len(election.ballots),
        "min_score": threshold,
        "below_min_score": [pk_of[p.id] for p in election.projects if data["votes"][p.id] < threshold],
        "tie_order": [pk_of[counting_id] for counting_id in order] if order is not None else None,
        "funded": [pk_of[pid] for pid in data["funded"]],
        "excluded": [pk_of[pid] for pid in data["excluded"]],
        "left_out": {pk_of[pid]: pk_of[rival] for pid, rival in data["left_out"].items()},
        **described,
        "counted_at": timezone.now().isoformat(),
    }


def compare(budget) -> list[dict]:
    """What each rule gives for this budget (greedy, equal shares, equal shares
    with completion), under the same minimum, tie order and decisions: for the
    staff, after the vote. The budget's own rule (locked before the vote) is
    marked `locked`; it is the only one ever published."""
    own = (budget.method, budget.completion if budget.method == Budget.Method.MES else "none")
    rows = []
    for method, completion in RULES:
        result = count(budget, method=method, completion=completion)
        rows.append(
            {
                "method": method,
                "completion": completion,
                "locked": (method, completion) == own,
                "selected": result["selected"],
                "total_cost": result["total_cost"],
            }
        )
    return rows


def pb_rule_name(budget) -> str:
    if budget.method == Budget.Method.MES:
        return "equalshares/add1" if budget.completion == Budget.Completion.ADD1 else "equalshares"
    return "greedy"


def to_pabulib(budget, projects=None, *, public=False):
    """The budget's anonymised ballots as a pabulib object (the library's writer).
    The staff's export names ballots by their random public id (and imported
    station counts by station); `public`: the open record published with the
    results, ballots ordered by content and numbered 1..N (anonymous_rows)."""
    projects = projects if projects is not None else _projects_of(budget)
    ids = counting_ids(projects)
    rows = anonymous_rows(budget, ids) if public else election_ballots(budget, ids)
    election = election_of(budget, projects, rows)
    selected = set((budget.result or {}).get("selected", [])) if budget.results_published else set()
    space = budget.component.space
    meta = {
        "description": str(budget),
        "country": "France",
        "unit": space.organization.name,
        "instance": str(space),
        "subunit": str(budget.scope) if budget.scope_id else "",
        "rule": pb_rule_name(budget),
        "language": "fr",
    }
    meta["min_project_score_threshold"] = str(min_score(budget, len(rows)))
    # The city's decisions on the count: those of the published result, else the current ones.
    if budget.results_published:
        described = budget.result or {}
    else:
        _decisions, described = decisions_of(budget, ids)
    by_pk = {str(pk): counting_id for pk, counting_id in ids.items()}
    for key, decision in (("funded_by_decision", "fund"), ("excluded_by_decision", "exclude")):
        chosen = [by_pk[o["project"]] for o in described.get("overrides", []) if o["decision"] == decision]
        if chosen:
            meta[key] = ",".join(chosen)
    pairs = ["+".join(by_pk[pk] for pk in pair["projects"]) for pair in described.get("incompatibilities", [])]
    if pairs:
        meta["incompatible_projects"] = ",".join(pairs)
    order = tie_order(budget, election, ids)
    draw_position = {}
    if order is not None:
        meta["tie_breaking"] = TIE_BREAKING
        drawn = [pk for pk in budget.tie_draw or [] if pk in ids]
        rest = sorted((p.pk for p in projects if p.pk not in set(drawn)), key=lambda pk: ids[pk])
        draw_position = {pk: str(n) for n, pk in enumerate(drawn + rest, start=1)}
    if budget.rule == Budget.Rule.POINTS:
        meta["max_sum_points"] = str(budget.points_total)
    if budget.rule == Budget.Rule.RANKING:
        meta["max_length"] = str(budget.rank_k)
    project_extra = {
        ids[p.pk]: {
            "name": str(p).replace(";", ","),
            "votes": str(p.votes_total),
            "category": str(p.category).replace(";", ",") if p.category_id else "",
            "selected": "1" if str(p.pk) in selected else "0",
            **({"draw": draw_position[p.pk]} if draw_position else {}),
        }
        for p in projects
    }
    return pabulib.from_election(
        election,
        meta={k: v for k, v in meta.items() if v},
        project_extra=project_extra,
        voter_ids=[ballot_id for ballot_id, _ballot in rows],
    )
