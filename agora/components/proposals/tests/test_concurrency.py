"""Per-person limits under real parallel transactions (PostgreSQL only).
Each test fails if the ParticipantQuota row lock is removed from the services."""

import pytest

from agora.components.proposals import rules, services
from agora.components.proposals.models import ParticipantQuota, Proposal, Support
from agora.permissions import PermissionDenied
from agora.testing.concurrency import in_parallel, requires_postgres, slow_down

from .conftest import configure
from .factories import ProposalFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


@pytest.fixture(autouse=True)
def _wide_race_window(monkeypatch):
    """Pause between reading the counts and writing: without the lock every
    request would read the same count and pass the limit."""
    for name in ("support_limits", "_proposal_limit"):
        slow_down(monkeypatch, rules, name, 0.15)


def _in_parallel(calls):
    outcomes = in_parallel(calls)
    unexpected = [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, PermissionDenied)]
    assert not unexpected, unexpected
    return ["refused" if isinstance(o, PermissionDenied) else "ok" for o in outcomes]


def test_the_supports_limit_holds_under_parallel_requests(component, participant):
    configure(component, supports_limit=3)
    ideas = ProposalFactory.create_batch(10, component=component)
    # The quota row exists already (the person acted before): only its lock serializes the requests.
    ParticipantQuota.objects.create(component=component, user=participant)
    outcomes = _in_parallel([lambda idea=idea: services.support(actor=participant, proposal=idea) for idea in ideas])
    assert Support.objects.filter(user=participant).count() == 3
    assert outcomes.count("ok") == 3
    assert sum(Proposal.objects.values_list("supports_count", flat=True)) == 3


def test_the_idea_limit_holds_under_parallel_requests(component, participant):
    configure(component, proposal_limit=2)
    drafts = [
        ProposalFactory(component=component, author=participant, status=Proposal.Status.DRAFT, published_at=None)
        for _ in range(8)
    ]
    ParticipantQuota.objects.create(component=component, user=participant)
    _in_parallel([lambda draft=draft: services.publish(actor=participant, proposal=draft) for draft in drafts])
    assert Proposal.objects.filter(author=participant, status=Proposal.Status.PUBLISHED).count() == 2
