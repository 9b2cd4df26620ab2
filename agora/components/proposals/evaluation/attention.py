"""What the ideas' back-office asks of its staff, for the dashboard's cards
(the manifest's `attention` hook, agora.core.attention): for the space's
administrators, the published ideas waiting for an answer and the answers
written but not yet published; for an evaluator, the ideas assigned to them
that are not answered yet. Two queries at most, whatever the number of
components; each card opens the list of ideas filtered to what it counts."""

from django.db.models import Count, Q
from django.utils.http import urlencode
from django.utils.translation import ngettext

from agora import permissions
from agora.components.proposals.evaluation.models import Assignment
from agora.components.proposals.models import Proposal
from agora.core.attention import Item
from agora.core.translations import translated


def _where(component) -> str:
    return f"{translated(component.space.title)} › {component}"


def _url(component, **filters) -> str:
    return f"{component.get_admin_url()}?{urlencode(filters)}"


def items(components, user) -> list[Item]:
    managed = [c for c in components if permissions.can(user, "proposal_evaluation.manage", c)]
    evaluated = [c for c in components if c not in managed and permissions.can(user, "proposal_evaluation.open", c)]
    found: list[Item] = []
    if managed:
        counts = {
            component_id: (waiting, unpublished)
            for component_id, waiting, unpublished in (
                Proposal.objects.filter(component__in=managed, status=Proposal.Status.PUBLISHED)
                .values("component_id")
                .annotate(
                    waiting=Count("id", filter=Q(answered_at__isnull=True)),
                    unpublished=Count("id", filter=Q(answered_at__isnull=False, answer_published_at__isnull=True)),
                )
                .values_list("component_id", "waiting", "unpublished")
            )
        }
        for component in managed:
            waiting, unpublished = counts.get(component.pk, (0, 0))
            found.append(
                Item(
                    ngettext("idea waiting for an answer", "ideas waiting for an answer", waiting),
                    waiting,
                    _url(component, status="published", answered="no"),
                    _where(component),
                    "lightbulb",
                )
            )
            found.append(
                Item(
                    ngettext("answer written, not published yet", "answers written, not published yet", unpublished),
                    unpublished,
                    _url(component, status="published", answered="yes", published="no"),
                    _where(component),
                    "message-square",
                )
            )
    if evaluated:
        assigned = dict(
            Assignment.objects.filter(
                evaluator=user,
                proposal__component__in=evaluated,
                proposal__status=Proposal.Status.PUBLISHED,
                proposal__answered_at__isnull=True,
            )
            .values_list("proposal__component_id")
            .annotate(count=Count("id"))
        )
        for component in evaluated:
            count = assigned.get(component.pk, 0)
            found.append(
                Item(
                    ngettext(
                        "idea assigned to you, not answered yet", "ideas assigned to you, not answered yet", count
                    ),
                    count,
                    _url(component, status="published", answered="no"),
                    _where(component),
                    "list-checks",
                )
            )
    return found
