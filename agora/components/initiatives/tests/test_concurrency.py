"""Parallel signatures on one initiative (PostgreSQL only): the count equals
the rows, the tier is reached exactly once (one log row, one notice per
follower), and one person signing twice at once signs once. Fails if the
count is read and written back, or if reaching a tier is not conditional."""

import pytest

from agora.actionlog.models import ActionLog
from agora.components.initiatives import services
from agora.components.initiatives.models import Initiative, InitiativeTier, Signature
from agora.components.initiatives.tests.conftest import person
from agora.notifications.models import Notification
from agora.permissions import PermissionDenied
from agora.testing.concurrency import in_parallel, requires_postgres, slow_down

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


def test_parallel_signatures_reach_the_tier_once(collecting, organization, participant, monkeypatch):
    InitiativeTier.objects.filter(initiative=collecting, position=1).update(threshold=5)
    InitiativeTier.objects.filter(initiative=collecting, position=2).update(threshold=1000)
    Initiative.objects.filter(pk=collecting.pk).update(next_threshold=5)
    signers = [person(organization) for _ in range(12)]
    # Widen the window between reading the initiative and writing the count.
    slow_down(monkeypatch, services, "load_for_signing", 0.1)
    outcomes = in_parallel(
        [
            lambda signer=signer: services.sign(actor=signer, initiative=Initiative(pk=collecting.pk))
            for signer in signers
        ]
    )
    assert all(isinstance(outcome, Signature) for outcome in outcomes), outcomes
    collecting.refresh_from_db()
    assert collecting.signature_count == 12 == Signature.objects.filter(initiative=collecting).count()
    row = InitiativeTier.objects.get(initiative=collecting, position=1)
    assert row.reached_at is not None and row.reached_count == 5
    assert ActionLog.objects.filter(verb="initiatives.tier_reached", target_id=str(collecting.pk)).count() == 1
    assert Notification.objects.filter(recipient=participant, event="initiatives.tier_reached").count() == 1
    # Progress notices of the next tier (33 % of 1,000 is far): none; of the first: at most one per mark.
    marks = list(ActionLog.objects.filter(verb="initiatives.progress").values_list("data__mark", flat=True))
    assert len(marks) == len(set(marks))


def test_one_person_signing_twice_at_once_signs_once(collecting, organization, monkeypatch):
    signer = person(organization)
    slow_down(monkeypatch, services, "load_for_signing", 0.2)
    outcomes = in_parallel(
        [lambda: services.sign(actor=signer, initiative=Initiative(pk=collecting.pk)) for _ in range(2)]
    )
    assert sum(isinstance(outcome, Signature) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, PermissionDenied) for outcome in outcomes) == 1
    collecting.refresh_from_db()
    assert collecting.signature_count == 1 == Signature.objects.filter(initiative=collecting).count()
