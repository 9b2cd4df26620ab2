"""Two people close the same debate at the same moment (PostgreSQL only): one
closes it, the other is told it is already closed; one log row, one
notification per follower. Fails if close_debate does not lock the debate
before checking it is open."""

import pytest

from agora.actionlog.models import ActionLog
from agora.components.debates import services
from agora.components.debates.models import Debate, DebateLike
from agora.core.translations import tr
from agora.follows.services import add_follow
from agora.notifications.models import Notification
from agora.permissions import PermissionDenied
from agora.testing.concurrency import in_parallel, requires_postgres, slow_down

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


def test_two_closes_at_once_close_the_debate_once(debate, org_admin, space_admin, participant, monkeypatch):
    add_follow(user=participant, target=debate)
    # Widen the race window: a pause after the check that the debate is open, before the write.
    slow_down(monkeypatch, services, "clean_translated_html")
    outcomes = in_parallel(
        [
            lambda person=person, text=text: services.close_debate(
                actor=person, debate=Debate.objects.get(pk=debate.pk), conclusions=tr(text)
            )
            for person, text in ((org_admin, "<p>Première</p>"), (space_admin, "<p>Seconde</p>"))
        ]
    )
    closed = [outcome for outcome in outcomes if isinstance(outcome, Debate)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, PermissionDenied)]
    assert len(closed) == 1 and len(refused) == 1, outcomes
    debate.refresh_from_db()
    assert debate.conclusions == closed[0].conclusions and debate.closed_by == closed[0].closed_by
    assert ActionLog.objects.filter(verb="debates.debate_closed").count() == 1
    assert Notification.objects.filter(recipient=participant, event="debates.closed").count() == 1


def test_parallel_likes_of_one_person_make_one_like(debate, participant, monkeypatch):
    # A pause after the permission check, before the insert: every request passes the check.
    slow_down(monkeypatch, services, "require")
    outcomes = in_parallel([lambda: services.like(actor=participant, debate=debate) for _n in range(5)])
    assert sorted(outcomes) == [False, False, False, False, True], outcomes
    assert DebateLike.objects.filter(debate=debate, person=participant).count() == 1
    assert ActionLog.objects.filter(verb="debates.liked").count() == 1
