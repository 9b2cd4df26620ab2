"""Who hears about the results of a budget, and how.

The people told are the voters of the budget (their ballot names them: online,
desk, paper with identity) and the followers of the space, through
agora.notifications (a notice of the service's trace, enqueued in its
transaction: a rolled-back publication tells nobody; the e-mails are outbox
rows written by the delivery). Their ids never leave the server. Events:
- results published (the first time, or again after a withdrawal);
- results changed (published again with other winners);
- results withdrawn (the vote may open again)."""

from agora.actionlog.services import Notice
from agora.components.budgets.selectors import voter_ids_of_budget

# Declared, with their labels and messages, in the manifest (component.py).
PUBLISHED = "budgets.results_published"
CHANGED = "budgets.results_changed"
WITHDRAWN = "budgets.results_withdrawn"


def notice(event, budget, *, url, data=None) -> Notice:
    """The notice of a results event, for the trace of the service that
    publishes or withdraws them (sent in its transaction)."""
    return Notice(
        event, followers=True, to=voter_ids_of_budget(budget), actor_followers=False, url=url, data=data or {}
    )
