"""Reads of the back-office of ideas: the filtered list, assignments,
evaluations and their summary, estimated costs, state badges."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, overload

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

from agora.accounts.models import User
from agora.components.models import Component
from agora.components.proposals.evaluation.models import Assignment, Criterion, Evaluation
from agora.components.proposals.models import CustomField, Proposal, ProposalState
from agora.core.forms import text_on
from agora.core.numbers import parse_id
from agora.spaces.models import Role

CENT = Decimal("0.01")


def badge_text_colour(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (#RRGGBB)."""
    return text_on(colour, unreadable="#ffffff")


def states(component: Component) -> list[ProposalState]:
    items = list(ProposalState.objects.filter(component=component))
    for state in items:
        setattr(state, "text_colour", badge_text_colour(state.colour))  # for the badge's template
    return items


def custom_fields(component: Component) -> list[CustomField]:
    return list(CustomField.objects.filter(component=component))


def criteria(component: Component) -> list[Criterion]:
    return list(Criterion.objects.filter(component=component))


def backoffice_proposals(
    component: Component, user: User | None = None, *, assigned_only: bool = False
) -> QuerySet[Proposal]:
    """Ideas staff work on (drafts excluded); with assigned_only, only those
    assigned to `user`."""
    queryset = (
        Proposal.objects.filter(component=component)
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("author", "category", "scope", "state", "published_state")
        .order_by("-published_at", "-id")
    )
    if assigned_only:
        queryset = queryset.filter(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), evaluator=user)))
    return queryset


def filter_proposals(queryset: QuerySet[Proposal], filters: dict) -> QuerySet[Proposal]:
    """Apply the list's filters (cleaned values of ProposalFilterForm)."""
    if filters.get("state") == "none":
        queryset = queryset.filter(state__isnull=True)
    elif filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("scope"):
        queryset = queryset.filter(scope=filters["scope"])
    if filters.get("evaluator") == "none":
        queryset = queryset.exclude(Exists(Assignment.objects.filter(proposal=OuterRef("pk"))))
    elif filters.get("evaluator"):
        queryset = queryset.filter(
            Exists(Assignment.objects.filter(proposal=OuterRef("pk"), evaluator_id=filters["evaluator"]))
        )
    if filters.get("answered") == "yes":
        queryset = queryset.filter(answered_at__isnull=False)
    elif filters.get("answered") == "no":
        queryset = queryset.filter(answered_at__isnull=True)
    if filters.get("published") == "yes":
        queryset = queryset.filter(answer_published_at__isnull=False)
    elif filters.get("published") == "no":
        # Never published, or the working copy changed since.
        queryset = queryset.filter(answer_published_at__isnull=True)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    text = (filters.get("q") or "").strip()
    if text:
        condition = Q(title__icontains=text) | Q(body__icontains=text) | Q(reference__iexact=text)
        if parse_id(text) is not None:
            condition |= Q(pk=parse_id(text))
        queryset = queryset.filter(condition)
    return queryset


def evaluators_of(component: Component) -> QuerySet[User]:
    """People holding the evaluator role in the component's space."""
    return (
        User.objects.filter(roles__space=component.space, roles__name=Role.Name.EVALUATOR, is_active=True)
        .distinct()
        .order_by("name", "nickname")
    )


def assignments_by_proposal(proposal_ids: Iterable[int]) -> dict[int, list[User]]:
    """{proposal id: [evaluator, ...]} in one query."""
    result: defaultdict[int, list[User]] = defaultdict(list)
    for assignment in Assignment.objects.filter(proposal_id__in=list(proposal_ids)).select_related("evaluator"):
        result[assignment.proposal_id].append(assignment.evaluator)
    return result


def is_assigned(user: User, proposal: Proposal) -> bool:
    return Assignment.objects.filter(proposal=proposal, evaluator=user).exists()


def evaluations_of(proposal: Proposal, evaluator: User | None = None) -> QuerySet[Evaluation]:
    queryset = Evaluation.objects.filter(proposal=proposal).select_related("criterion", "evaluator")
    if evaluator is not None:
        queryset = queryset.filter(evaluator=evaluator)
    return queryset.order_by("evaluator_id", "criterion__weight", "criterion_id")


@overload
def _round(value: None) -> None: ...
@overload
def _round(value: Decimal | float | int) -> Decimal: ...
def _round(value: Decimal | float | int | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def estimated_costs(proposal_ids: Iterable[int]) -> dict[int, Decimal]:
    """{proposal id: estimated cost in euros} for ideas with at least one cost
    given: per evaluator the sum of their "cost" criteria, then the average
    over those evaluators. One query."""
    per_evaluator: defaultdict = defaultdict(Decimal)
    rows = Evaluation.objects.filter(
        proposal_id__in=list(proposal_ids), criterion__kind=Criterion.Kind.COST, cost__isnull=False
    ).values_list("proposal_id", "evaluator_id", "cost")
    for proposal_id, evaluator_id, cost in rows:
        per_evaluator[(proposal_id, evaluator_id)] += cost
    totals: defaultdict = defaultdict(Decimal)
    counts: defaultdict = defaultdict(int)
    for (proposal_id, _evaluator_id), cost in per_evaluator.items():
        totals[proposal_id] += cost
        counts[proposal_id] += 1
    return {proposal_id: _round(totals[proposal_id] / counts[proposal_id]) for proposal_id in totals}


def estimated_cost(proposal: Proposal) -> Decimal | None:
    """The idea's estimated cost from the evaluation grid (euros), or None."""
    return estimated_costs([proposal.pk]).get(proposal.pk)


def summaries(proposal_ids: Iterable[int]) -> dict[int, dict]:
    """{proposal id: {"score": average score or None, "cost": estimated cost or
    None, "evaluators": number who evaluated, "yes": n, "no": n}} in two queries."""
    ids = list(proposal_ids)
    result: dict[int, dict[str, Any]] = {
        pk: {"score": None, "cost": None, "evaluators": 0, "yes": 0, "no": 0} for pk in ids
    }
    rows = (
        Evaluation.objects.filter(proposal_id__in=ids)
        .order_by()
        .values("proposal_id")
        .annotate(
            score=Avg("score"),
            evaluators=Count("evaluator", distinct=True),
            yes_count=Count("pk", filter=Q(criterion__kind=Criterion.Kind.YES_NO, yes=True)),
            no_count=Count("pk", filter=Q(criterion__kind=Criterion.Kind.YES_NO, yes=False)),
        )
    )
    for row in rows:
        score = row["score"]
        result[row["proposal_id"]].update(
            score=None if score is None else Decimal(str(score)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            evaluators=row["evaluators"],
            yes=row["yes_count"],
            no=row["no_count"],
        )
    for pk, cost in estimated_costs(ids).items():
        result[pk]["cost"] = cost
    return result
