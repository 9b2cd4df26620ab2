"""Telling an idea's author and followers that its answer or state was
published. Only PUBLISHED answers are announced (the working copy is staff's).

Through the platform's notification system (a notice of the publication's
trace, agora.actionlog.services.trace: followers of the idea + its author,
each person's preferences for e-mail; the author, whom the answer is about, is
e-mailed at once)."""

from agora.accounts.models import User
from agora.actionlog.services import Notice
from agora.follows.selectors import follower_ids

# Declared, with their labels and messages, in the ideas' manifest (proposals/component.py).
ANSWER_EVENT = "proposals.answer_published"
STATE_EVENT = "proposals.state_changed"


def recipients(proposal, actor=None):
    """Active author and followers of the idea, without the person who acted."""
    ids = follower_ids(proposal)
    if proposal.author_id:
        ids.add(proposal.author_id)
    if actor is not None and getattr(actor, "pk", None):
        ids.discard(actor.pk)
    return list(User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True).order_by("pk"))


def answer_notices(proposal, actor, state_changed: bool, answer_changed: bool) -> list[Notice]:
    """The notice of a newly published answer or state, for the trace of the
    publication: to the idea's followers and its author (whom it is about, so
    e-mailed at once). None when nothing changed or nobody is left to tell."""
    if not (state_changed or answer_changed) or not recipients(proposal, actor):
        return []
    state = proposal.published_state
    author = [proposal.author_id] if proposal.author_id else []
    return [
        Notice(
            ANSWER_EVENT if answer_changed else STATE_EVENT,
            followers=True,
            to=author,
            about=author,
            space_followers=False,
            actor_followers=False,
            data={"state": str(state) if state else ""},
        )
    ]
