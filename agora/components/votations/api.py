"""What other parts of Agora may use of the citizen votes: where the vote on an
initiative is and how it ended. The initiatives component learns of a vote
through its own api (`initiatives.api.vote_opened`, called by
services.open_from_initiative), so that imports go one way only."""

from dataclasses import dataclass

from agora.components.votations import selectors
from agora.components.votations.models import Votation


@dataclass(frozen=True)
class VoteOutcome:
    votation_id: int
    url: str
    state: str
    results_visible: bool
    adopted: bool | None  # every question adopted under its rule; None while results are hidden


def vote_on_initiative(initiative_id: int) -> VoteOutcome | None:
    votation = Votation.objects.select_related("component__space").filter(initiative_id=initiative_id).first()
    if votation is None or votation.state == Votation.State.DRAFT:
        return None
    adopted = None
    if votation.results_visible:
        _turnout, found = selectors.results(votation)
        adopted = all(result.adopted for result in found)
    return VoteOutcome(votation.pk, votation.get_absolute_url(), votation.state, votation.results_visible, adopted)
