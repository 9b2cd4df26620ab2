"""Who hears about the results of a budget, and how.

The people told are the voters of the budget (their ballot names them: online,
desk, paper with identity) and the followers of the space, through
agora.notifications (`publish`, enqueued in the service's transaction: a
rolled-back publication tells nobody; the e-mails are outbox rows written by
the delivery). Their ids never leave the server. Events:
- results published (the first time, or again after a withdrawal);
- results changed (published again with other winners);
- results withdrawn (the vote may open again)."""

from django.utils.translation import gettext_lazy as _

PUBLISHED = "budgets.results_published"
CHANGED = "budgets.results_changed"
WITHDRAWN = "budgets.results_withdrawn"


def register_events():
    from agora.notifications import events

    events.register(PUBLISHED, label=_("Results of a vote I took part in or of a space I follow"),
                    message=_("The results of “%(target)s” are published."))
    events.register(CHANGED, label=_("Changed results of a vote I took part in or of a space I follow"),
                    message=_("The results of “%(target)s” have changed: %(added)s project(s) now selected, "
                              "%(dropped)s no longer selected."))
    events.register(WITHDRAWN, label=_("Withdrawn results of a vote I took part in or of a space I follow"),
                    message=_("The results of “%(target)s” have been withdrawn."))


def tell(*, event, actor, budget, url, data=None) -> None:
    """Call inside the service's transaction."""
    from agora.components.budgets.selectors import voter_ids_of_budget
    from agora.notifications.services import publish

    component = budget.component
    publish(event=event, actor=actor, target=budget, organization=component.space.organization,
            space=component.space, url=url, data=data or {}, extra_recipient_ids=voter_ids_of_budget(budget),
            actor_followers=False)
