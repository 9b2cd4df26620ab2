"""A vote storm does not queue on the content version row
(agora.core.pagecache): ballots, their choices, the counters, the receipts'
outbox and the action log are tables no cached page shows, so only the first
ballot of a budget (voting_started_at) moves the version."""

from agora.components.budgets import services
from agora.core import pagecache


def test_ballots_do_not_move_the_content_version(budget, projects, voters):
    first, *others = voters(4)
    services.cast_ballot(actor=first, budget=budget, choices={projects[0].pk: 1})  # the vote has started
    before = pagecache.current_version()
    for n, person in enumerate(others):
        services.cast_ballot(actor=person, budget=budget, choices={projects[n].pk: 1})
    assert pagecache.current_version() == before
