"""What other components may use of the initiatives (the citizen-vote
component, later): the question an initiative puts to a vote, and the hook
that records that a vote was opened on it."""

from dataclasses import dataclass

from agora.accounts.models import User
from agora.components.initiatives import services
from agora.components.initiatives.models import Initiative, InitiativeTier, InitiativeType, Tier


@dataclass(frozen=True)
class VoteRequest:
    """An initiative that reached a tier whose consequence is a citizen vote."""

    initiative_id: int
    component_id: int
    title: str
    question: str  # the question the vote would ask (the initiative's, else its title)
    body_html: str  # the initiative's text (sanitized HTML), for the booklet
    signatures: int
    reached_at: object
    url: str


def vote_requests(component_id: int) -> list[VoteRequest]:
    """The initiatives of a component that reached a "citizen vote" tier and have no vote yet."""
    rows = (
        InitiativeTier.objects.filter(
            initiative__component_id=component_id,
            tier__kind=Tier.Kind.VOTE,
            reached_at__isnull=False,
            initiative__vote_reference="",
        )
        .select_related("initiative__component__space")
        .order_by("reached_at")
    )
    return [
        VoteRequest(
            initiative_id=row.initiative_id,
            component_id=row.initiative.component_id,
            title=row.initiative.title,
            question=row.initiative.question or row.initiative.title,
            body_html=row.initiative.body,
            signatures=row.initiative.signature_count,
            reached_at=row.reached_at,
            url=row.initiative.get_absolute_url(),
        )
        for row in rows
    ]


def vote_opened(*, actor: User | None, initiative_id: int, reference: str) -> None:
    """The vote component tells the initiative a vote was opened on it (logged,
    public, its signers and followers told); `reference` names the vote (its URL)."""
    initiative = Initiative.objects.select_related("component__space__organization").get(pk=initiative_id)
    services.record_vote_opened(actor=actor, initiative=initiative, reference=reference)


def require_for_signing(component_id: int, *, methods: list[str], min_age: int | None) -> int:
    """Every kind of initiative of the component asks signers (and authors) for
    these verification methods and this age on the day (the demo city: residents
    found in the census, aged 16 and over). Returns how many kinds changed."""
    rule = {"methods": list(methods), **({"min_age": min_age} if min_age is not None else {})}
    return InitiativeType.objects.filter(component_id=component_id).update(sign_rule=rule, file_rule=rule)
