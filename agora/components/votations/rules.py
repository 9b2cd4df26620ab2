"""Permission rules of the citizen-vote component (registered in apps.ready).
Who may vote is the component's eligibility rule for the action "vote"
(agora.verifications, set in the back-office), asked by component_action."""

from django.utils import timezone
from django.utils.translation import gettext as _

from agora.components.votations.models import Ballot, Votation
from agora.core.formats import long_datetime
from agora.permissions import ALLOWED, can, component_action, deny, rule


@rule("votations.manage")
def _manage(user, component):
    """Votes, questions, booklets, opening and closing, paper ballots and counts, exports."""
    return can(user, "component.manage", component)


@rule("votations.view")
def _view(user, votation):
    """A vote is public once open; in preparation, the staff alone see it."""
    decision = can(user, "component.view", votation.component)
    if not decision:
        return decision
    if votation.state != Votation.State.DRAFT:
        return ALLOWED
    if can(user, "votations.manage", votation.component):
        return ALLOWED
    return deny(_("This vote is being prepared."))


@rule("votations.vote")
def _vote(user, votation):
    """While the vote is open (between its dates), for whoever the component's
    eligibility rule for "vote" lets in, once per person whatever the channel."""
    if votation.state != Votation.State.OPEN:
        if votation.state == Votation.State.CLOSED:
            return deny(_("This vote is closed."))
        return deny(_("This vote is not open."))
    now = timezone.now()
    if votation.opens_at is not None and now < votation.opens_at:
        return deny(_("Voting opens on %(date)s.") % {"date": long_datetime(votation.opens_at)})
    if votation.closes_at is not None and now >= votation.closes_at:
        return deny(_("Voting closed on %(date)s.") % {"date": long_datetime(votation.closes_at)})
    decision = component_action(user, votation.component, "vote", phase_setting="votes_enabled", resource=votation)
    if not decision:
        return decision
    if Ballot.objects.filter(votation=votation, voter=user).exists():
        return deny(_("You have already voted in this vote."))
    return ALLOWED
