"""The last place taken by two people at once (PostgreSQL only): exactly one
gets it, the other is put on the waiting list, and the counters agree with
the rows. Fails if register() reads the counter before locking the meeting
(both would be confirmed, or the CHECK constraint would refuse one with an
error instead of a place on the waiting list)."""

import pytest

from agora.components.meetings import services
from agora.components.meetings.models import Meeting, Registration
from agora.components.meetings.tests.conftest import make_meeting, person
from agora.testing.concurrency import in_parallel, requires_postgres, slow_down

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


def test_the_last_place_goes_to_one_person_the_other_waits(component, organization, monkeypatch):
    meeting = make_meeting(component, places=1)
    first, second = person(organization), person(organization)
    # Widen the race window: a pause between reading the places left and writing the registration.
    slow_down(monkeypatch, services, "_take_code")
    outcomes = in_parallel(
        [
            lambda someone=someone: services.register(actor=someone, meeting=Meeting.objects.get(pk=meeting.pk))
            for someone in (first, second)
        ]
    )
    assert all(isinstance(outcome, Registration) for outcome in outcomes), outcomes
    assert sorted(outcome.status for outcome in outcomes) == ["confirmed", "waiting"]
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (1, 1)


def test_many_people_at_once_never_exceed_the_places(component, organization, monkeypatch):
    meeting = make_meeting(component, places=3)
    people = [person(organization) for _ in range(8)]
    slow_down(monkeypatch, services, "_take_code", seconds=0.05)
    outcomes = in_parallel(
        [
            lambda someone=someone: services.register(actor=someone, meeting=Meeting.objects.get(pk=meeting.pk))
            for someone in people
        ]
    )
    assert all(isinstance(outcome, Registration) for outcome in outcomes), outcomes
    confirmed = Registration.objects.filter(meeting=meeting, status="confirmed").count()
    waiting = list(Registration.objects.filter(meeting=meeting, status="waiting").order_by("created_at", "id"))
    meeting.refresh_from_db()
    assert confirmed == 3 == meeting.registered_count and len(waiting) == 5 == meeting.waiting_count
    # Cancelling a place promotes the first of the waiting list, in the order of registration.
    services.cancel_registration(
        actor=Registration.objects.filter(meeting=meeting, status="confirmed").first().user,
        registration=Registration.objects.filter(meeting=meeting, status="confirmed").first(),
    )
    waiting[0].refresh_from_db()
    assert waiting[0].status == "confirmed"


def test_a_place_freed_while_people_register_never_stays_free_with_someone_waiting(
    component, organization, monkeypatch
):
    """A cancellation among registrations on a full meeting: the place it frees goes to
    someone (the first waiting, or a newcomer when nobody waits yet), never left free
    while someone is on the waiting list; the counters agree with the rows."""
    meeting = make_meeting(component, places=2)
    holders = [person(organization) for _ in range(2)]
    taken = [services.register(actor=someone, meeting=meeting) for someone in holders]
    newcomers = [person(organization) for _ in range(6)]
    # Widen the window between a newcomer's checks and its place.
    slow_down(monkeypatch, services, "_take_code", seconds=0.05)
    calls = [
        lambda someone=someone: services.register(actor=someone, meeting=Meeting.objects.get(pk=meeting.pk))
        for someone in newcomers
    ]
    calls.append(lambda: services.cancel_registration(actor=holders[0], registration=taken[0]))
    outcomes = in_parallel(calls)
    assert all(isinstance(outcome, Registration) for outcome in outcomes), outcomes
    meeting.refresh_from_db()
    confirmed = Registration.objects.filter(meeting=meeting, status="confirmed").count()
    waiting = Registration.objects.filter(meeting=meeting, status="waiting").count()
    assert (confirmed, waiting) == (meeting.registered_count, meeting.waiting_count) == (2, 5)


def test_the_waiting_list_comes_after_every_place_given(component, organization):
    """Many people at once on a few places: every confirmed registration is dated before
    every waiting one (the waiting list's order, by which places are given back)."""
    meeting = make_meeting(component, places=4)
    people = [person(organization) for _ in range(12)]
    outcomes = in_parallel(
        [
            lambda someone=someone: services.register(actor=someone, meeting=Meeting.objects.get(pk=meeting.pk))
            for someone in people
        ]
    )
    assert all(isinstance(outcome, Registration) for outcome in outcomes), outcomes
    rows = Registration.objects.filter(meeting=meeting)
    last_place = max(rows.filter(status="confirmed").values_list("created_at", flat=True))
    first_waiting = min(rows.filter(status="waiting").values_list("created_at", flat=True))
    assert last_place < first_waiting
    assert rows.filter(status="confirmed").count() == 4 and rows.filter(status="waiting").count() == 8
    # The first of the waiting list (created_at, id) gets the next place.
    first = rows.filter(status="waiting").order_by("created_at", "id").first()
    holder = rows.filter(status="confirmed").first()
    services.cancel_registration(actor=holder.user, registration=holder)
    first.refresh_from_db()
    assert first.status == "confirmed"
