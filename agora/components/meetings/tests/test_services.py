from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from agora.actionlog.models import ActionLog
from agora.components.meetings import services
from agora.components.meetings.models import Meeting, Registration
from agora.components.meetings.tests.conftest import make_meeting, person
from agora.core.translations import tr
from agora.permissions import PermissionDenied


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in English (msgids); pages are tested in French elsewhere.
    with translation.override("en"):
        yield


def test_a_registration_takes_a_place_and_sends_the_code(meeting, participant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        registration = services.register(actor=participant, meeting=meeting)
        # The e-mail is written once the registration has committed, never inside its transaction.
        assert len(mail.outbox) == 0
    assert len(callbacks) == 1
    assert registration.status == Registration.Status.CONFIRMED
    assert len(registration.code) == 6
    meeting.refresh_from_db()
    assert meeting.registered_count == 1 and meeting.waiting_count == 0
    assert len(mail.outbox) == 1 and registration.code in mail.outbox[0].body
    assert ActionLog.objects.filter(verb="meetings.registered").count() == 1


def test_the_waiting_list_is_told_and_logged_as_such(component, organization, django_capture_on_commit_callbacks):
    meeting = make_meeting(component, places=1)
    first, second = person(organization), person(organization)
    services.register(actor=first, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.register(actor=second, meeting=meeting)
    assert waiting.status == Registration.Status.WAITING
    assert [message.to for message in mail.outbox] == [[second.email]]
    assert waiting.code not in mail.outbox[0].body  # no code for a place not given
    verbs = list(ActionLog.objects.filter(verb__startswith="meetings.").order_by("pk").values_list("verb", flat=True))
    assert verbs[-2:] == ["meetings.registered", "meetings.waitlisted"]


def test_a_meeting_cancelled_while_someone_registers_takes_no_place(
    component, organization, monkeypatch, django_capture_on_commit_callbacks
):
    """The place is taken last, where registrations are still open: a cancellation that
    commits after the person's checks (here, as they are followed) refuses the place."""
    meeting = make_meeting(component, places=1)
    someone = person(organization)
    following = services.add_follow

    def cancelled_meanwhile(**kwargs):
        Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now())
        return following(**kwargs)

    monkeypatch.setattr(services, "add_follow", cancelled_meanwhile)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PermissionDenied, match="cancelled"),
    ):
        services.register(actor=someone, meeting=meeting)
    assert callbacks == [] and mail.outbox == []
    assert not Registration.objects.filter(meeting=meeting).exists()


def test_one_registration_per_person(meeting, participant):
    services.register(actor=participant, meeting=meeting)
    with pytest.raises(ValidationError, match="already registered"):
        services.register(actor=participant, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.registered_count == 1


def test_a_full_meeting_puts_people_on_the_waiting_list_in_order(component, organization):
    meeting = make_meeting(component, places=3, reserved_places=1)
    people = [person(organization) for _ in range(4)]
    statuses = [services.register(actor=p, meeting=meeting).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting"]
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (2, 2)


def test_cancelling_frees_exactly_one_place_and_promotes_the_first_waiting(component, organization):
    meeting = make_meeting(component, places=2)
    first, second, third, fourth = (person(organization) for _ in range(4))
    registrations = [services.register(actor=p, meeting=meeting) for p in (first, second, third, fourth)]
    mail.outbox.clear()
    services.cancel_registration(actor=first, registration=registrations[0])
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (2, 1)
    statuses = dict(Registration.objects.filter(meeting=meeting).values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "confirmed", third.pk: "confirmed", fourth.pk: "waiting"}
    assert [message.to for message in mail.outbox] == [[third.email]]
    assert "Une place est à vous" in mail.outbox[0].subject


def test_cancelling_a_waiting_registration_promotes_nobody(component, organization):
    meeting = make_meeting(component, places=1)
    first, second = person(organization), person(organization)
    services.register(actor=first, meeting=meeting)
    waiting = services.register(actor=second, meeting=meeting)
    services.cancel_registration(actor=second, registration=waiting)
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (1, 0)


def test_cancelling_twice_is_refused(meeting, participant):
    registration = services.register(actor=participant, meeting=meeting)
    services.cancel_registration(actor=participant, registration=registration)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel_registration(actor=participant, registration=registration)
    meeting.refresh_from_db()
    assert meeting.registered_count == 0


def test_someone_else_cannot_cancel_a_registration(meeting, participant, organization):
    registration = services.register(actor=participant, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(actor=person(organization), registration=registration)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_registration_after_the_start_is_refused_with_a_clear_message(component, participant):
    started = make_meeting(component, starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(PermissionDenied) as refusal:
        services.register(actor=participant, meeting=started)
    assert "has started" in refusal.value.decision.reason
    assert not Registration.objects.exists()


def test_registrations_close_at_the_set_time(component, participant):
    meeting = make_meeting(component, registrations_close_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(PermissionDenied) as refusal:
        services.register(actor=participant, meeting=meeting)
    assert "Registrations closed on" in refusal.value.decision.reason


def test_no_registration_here_for_a_meeting_without_one_or_elsewhere(component, participant):
    for kind in (Meeting.Registration.NONE, Meeting.Registration.EXTERNAL):
        meeting = make_meeting(component, registration_type=kind, registration_url="https://example.org/")
        with pytest.raises(PermissionDenied):
            services.register(actor=participant, meeting=meeting)
    assert not Registration.objects.exists()


def test_cancelled_or_unpublished_meetings_take_no_registration(component, participant):
    for fields in ({"cancelled_at": timezone.now()}, {"published_at": None}):
        meeting = make_meeting(component, **fields)
        with pytest.raises(PermissionDenied):
            services.register(actor=participant, meeting=meeting)
    assert not Registration.objects.exists()


def test_an_anonymous_visitor_cannot_register(meeting):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.register(actor=AnonymousUser(), meeting=meeting)


def test_the_registration_terms_must_be_accepted(component, participant):
    meeting = make_meeting(component, registration_terms=tr("<p>Photos possibles.</p>"))
    with pytest.raises(ValidationError) as error:
        services.register(actor=participant, meeting=meeting)
    assert "accepted_terms" in error.value.message_dict
    assert services.register(actor=participant, meeting=meeting, accepted_terms=True).accepted_terms


def test_private_and_transparent_meetings_take_registrations_by_invitation(component, participant, org_admin):
    for visibility in (Meeting.Visibility.TRANSPARENT, Meeting.Visibility.PRIVATE):
        meeting = make_meeting(component, visibility=visibility)
        with pytest.raises(PermissionDenied):
            services.register(actor=participant, meeting=meeting)
        services.invite(actor=org_admin, meeting=meeting, emails=[participant.email.upper()])
        assert services.register(actor=participant, meeting=meeting).status == "confirmed"


def test_invitations_reach_people_without_an_account_once(meeting, org_admin):
    made = services.invite(actor=org_admin, meeting=meeting, emails=["new@example.org", " new@example.org", ""])
    assert len(made) == 1 and made[0].user is None
    assert services.invite(actor=org_admin, meeting=meeting, emails=["new@example.org"]) == []
    assert [message.to for message in mail.outbox] == [["new@example.org"]]
    assert "/meetings/invitation/" in mail.outbox[0].body


def test_a_bad_invitation_address_is_a_message(meeting, org_admin):
    with pytest.raises(ValidationError) as error:
        services.invite(actor=org_admin, meeting=meeting, emails=["not an address"])
    assert "is not an e-mail address" in error.value.message_dict["emails"][0]


def test_participants_cannot_invite(meeting, participant):
    with pytest.raises(PermissionDenied):
        services.invite(actor=participant, meeting=meeting, emails=["x@example.org"])


# --- the meeting's own rules ----------------------------------------------------------------------


def _unsaved(component, **fields):
    starts_at = timezone.now() + timedelta(days=3)
    values = {
        "title": tr("Atelier"),
        "address": "Place du Marché",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        **fields,
    }
    return Meeting(component=component, **values)


def test_the_end_must_come_after_the_start(component, org_admin):
    now = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.save_meeting(actor=org_admin, meeting=_unsaved(component, starts_at=now, ends_at=now))
    assert error.value.message_dict["ends_at"] == ["The end must come after the start."]


def test_reserved_places_cannot_exceed_the_places(component, org_admin):
    with pytest.raises(ValidationError) as error:
        services.save_meeting(actor=org_admin, meeting=_unsaved(component, places=10, reserved_places=11))
    assert "cannot be more than the places available (10)" in error.value.message_dict["reserved_places"][0]


def test_the_database_refuses_reserved_places_above_the_places_and_a_place_too_many(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(reserved_places=11)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(registered_count=11)


def test_an_online_meeting_needs_its_link_and_an_external_registration_its_address(component, org_admin):
    with pytest.raises(ValidationError) as error:
        services.save_meeting(
            actor=org_admin,
            meeting=_unsaved(component, kind=Meeting.Kind.ONLINE, registration_type=Meeting.Registration.EXTERNAL),
        )
    assert set(error.value.message_dict) == {"online_url", "registration_url"}


def test_participants_cannot_create_edit_publish_cancel_close_or_delete(component, meeting, participant):
    meeting.published_at = None
    meeting.save()
    calls = [
        lambda: services.save_meeting(actor=participant, meeting=_unsaved(component)),
        lambda: services.publish_meeting(actor=participant, meeting=meeting),
        lambda: services.cancel_meeting(actor=participant, meeting=meeting, reason=tr("<p>Non</p>")),
        lambda: services.close_meeting(actor=participant, meeting=meeting, minutes=tr("<p>Non</p>")),
        lambda: services.delete_meeting(actor=participant, meeting=meeting),
        lambda: services.validate_attendance(actor=participant, meeting=meeting, code="ABCDEF"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    meeting.refresh_from_db()
    assert meeting.published_at is None and meeting.cancelled_at is None and meeting.closed_at is None


def test_publish_then_cancel_tells_the_registered_people(component, org_admin, participant):
    meeting = make_meeting(component, published_at=None)
    services.publish_meeting(actor=org_admin, meeting=meeting)
    services.register(actor=participant, meeting=meeting)
    mail.outbox.clear()
    services.cancel_meeting(actor=org_admin, meeting=meeting, reason=tr("<p>Salle indisponible.</p>"))
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert any(message.to == [participant.email] and "Annulée" in message.subject for message in mail.outbox)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel_meeting(actor=org_admin, meeting=meeting, reason=tr("<p>Encore</p>"))


def test_a_published_meeting_cannot_be_deleted(meeting, org_admin):
    with pytest.raises(ValidationError, match="cancelled, never deleted"):
        services.delete_meeting(actor=org_admin, meeting=meeting)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_more_places_promote_the_waiting_list(component, organization, org_admin):
    meeting = make_meeting(component, places=1)
    people = [person(organization) for _ in range(3)]
    for p in people:
        services.register(actor=p, meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.places = 2
    services.save_meeting(actor=org_admin, meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.registered_count, meeting.waiting_count) == (2, 1)


def test_fewer_places_than_registered_people_is_refused(component, organization, org_admin):
    meeting = make_meeting(component, places=5)
    for _ in range(3):
        services.register(actor=person(organization), meeting=meeting)
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.places = 2
    with pytest.raises(ValidationError) as error:
        services.save_meeting(actor=org_admin, meeting=meeting)
    assert "3 people are already registered" in error.value.message_dict["places"][0]


# --- at the door ----------------------------------------------------------------------------------


def test_attendance_by_code(meeting, participant, org_admin):
    registration = services.register(actor=participant, meeting=meeting)
    typed = f" {registration.code[:3].lower()}-{registration.code[3:]} "
    validated = services.validate_attendance(actor=org_admin, meeting=meeting, code=typed)
    assert validated.pk == registration.pk and validated.attended_at is not None
    with pytest.raises(ValidationError, match="already validated"):
        services.validate_attendance(actor=org_admin, meeting=meeting, code=registration.code)


def test_an_unknown_code_is_a_clear_message(meeting, org_admin):
    with pytest.raises(ValidationError) as error:
        services.validate_attendance(actor=org_admin, meeting=meeting, code="ZZZZZZ")
    assert error.value.message_dict["code"] == ["No registration of this meeting has the code ZZZZZZ."]


def test_a_waiting_code_is_not_a_place(component, organization, org_admin):
    meeting = make_meeting(component, places=1)
    services.register(actor=person(organization), meeting=meeting)
    waiting = services.register(actor=person(organization), meeting=meeting)
    with pytest.raises(ValidationError, match="waiting list"):
        services.validate_attendance(actor=org_admin, meeting=meeting, code=waiting.code)


# --- time zones -----------------------------------------------------------------------------------


def test_local_times_cross_daylight_saving_changes():
    # 29 March 2026: Paris goes from UTC+1 to UTC+2 at 02:00 local time.
    before = services.local_to_utc(datetime(2026, 3, 28, 18, 0), "Europe/Paris")
    after = services.local_to_utc(datetime(2026, 3, 29, 18, 0), "Europe/Paris")
    assert (before.hour, after.hour) == (17, 16)  # 18:00 in Paris: 17:00 UTC in winter, 16:00 in summer
    assert (after - before) == timedelta(hours=23)
    with pytest.raises(ValidationError, match="does not exist"):
        services.local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Paris")
    # 25 October 2026: 02:30 happens twice; the first one (summer time) is taken.
    twice = services.local_to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Paris")
    assert twice.hour == 0  # 02:30 summer time is 00:30 UTC
    montreal = services.local_to_utc(datetime(2026, 3, 28, 18, 0), "America/Toronto")
    assert montreal.astimezone(ZoneInfo("UTC")).hour == 22


# --- the worker's rounds --------------------------------------------------------------------------


def test_reminders_the_day_before_are_sent_once(component, participant, organization):
    soon = make_meeting(component, starts_at=timezone.now() + timedelta(hours=20))
    later = make_meeting(component, starts_at=timezone.now() + timedelta(days=3))
    services.register(actor=participant, meeting=soon)
    services.register(actor=participant, meeting=later)
    mail.outbox.clear()
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert len(mail.outbox) == 1 and "Demain" in mail.outbox[0].subject  # the organization's language


def test_organizers_are_reminded_once_to_close(component, space_admin):
    held = make_meeting(component, starts_at=timezone.now() - timedelta(days=3))
    assert services.remind_organizers() == 1
    assert services.remind_organizers() == 0
    assert mail.outbox[-1].to == [space_admin.email]
    held.refresh_from_db()
    assert held.closing_reminded_at is not None


def test_closing_publishes_the_minutes(component, org_admin):
    held = make_meeting(component, starts_at=timezone.now() - timedelta(days=1))
    services.close_meeting(
        actor=org_admin, meeting=held, minutes=tr("<p>Compte rendu</p><script>x</script>"), attendee_count=31
    )
    held.refresh_from_db()
    assert held.is_closed and held.attendee_count == 31 and "script" not in held.minutes["fr"]
    upcoming = make_meeting(component)
    with pytest.raises(ValidationError, match="once it has started"):
        services.close_meeting(actor=org_admin, meeting=upcoming, minutes=tr("<p>Trop tôt</p>"))


def test_registrations_are_counted_as_participation_and_rebuilt(component, organization, meeting, participant):
    from agora.statistics import selectors as statistics_selectors
    from agora.statistics import services as statistics_services

    where = statistics_selectors.Where(organization, space=component.space, component=component)
    registration = services.register(actor=participant, meeting=meeting)
    services.cancel_registration(actor=participant, registration=registration)
    services.register(actor=person(organization), meeting=meeting)
    summary = statistics_selectors.summary(where)
    assert summary.participants == 2 and summary.contributions == {"registration": 2}
    statistics_services.rebuild(organization=organization)
    assert statistics_selectors.summary(where) == summary


def test_publishing_tells_the_followers_of_the_space(component, organization, space_admin):
    """A meeting published: the people who follow its space get a notification
    (meetings.new_meeting, the meeting's link), the officer who publishes it does not
    (they were told of their own act before); a private meeting tells nobody; a
    participant's meeting is announced the same way, naming its organizer."""
    from agora.follows.services import add_follow
    from agora.notifications.models import Notification

    follower, bystander = person(organization), person(organization)
    add_follow(user=follower, target=component.space)
    add_follow(user=space_admin, target=component.space)
    draft = make_meeting(component, published_at=None)
    services.publish_meeting(actor=space_admin, meeting=draft)
    told = Notification.objects.filter(event=services.NEW_MEETING)
    assert list(told.values_list("recipient_id", flat=True)) == [follower.pk]
    notice = told.get()
    assert notice.url == draft.get_absolute_url() and notice.target_id == str(draft.pk)
    assert notice.space_id == component.space_id
    assert not Notification.objects.filter(recipient=bystander).exists()
    private = make_meeting(component, published_at=None, visibility=Meeting.Visibility.PRIVATE)
    services.publish_meeting(actor=space_admin, meeting=private)
    assert told.count() == 1
    component.settings = {**(component.settings or {}), "participant_meetings": True}
    component.save(update_fields=["settings"])
    organizer = person(organization)
    own = services.organize_meeting(
        actor=organizer,
        component=component,
        meeting=Meeting(
            title=tr("Atelier des voisins"),
            description=tr("<p>Entre voisins.</p>"),
            kind=Meeting.Kind.ONLINE,
            online_url="https://visio.example/v",
            starts_at=timezone.now() + timedelta(days=2),
            ends_at=timezone.now() + timedelta(days=2, hours=1),
        ),
    )
    told_own = told.filter(target_id=str(own.pk))
    assert set(told_own.values_list("recipient_id", flat=True)) == {follower.pk, space_admin.pk}
    assert set(told_own.values_list("actor_id", flat=True)) == {organizer.pk}


def test_a_participant_organizer_who_cannot_close_is_not_reminded(component, participant, space_admin):
    """The reminder goes to people who can close the meeting (the closing screen's rule)."""
    from agora.permissions import can

    assert not can(participant, "meetings.manage", component) and can(space_admin, "meetings.manage", component)
    make_meeting(component, starts_at=timezone.now() - timedelta(days=3), organizer=participant)
    assert services.remind_organizers() == 1
    assert [message.to for message in mail.outbox] == [[space_admin.email]]
    mail.outbox.clear()
    make_meeting(component, starts_at=timezone.now() - timedelta(days=4), organizer=space_admin)
    assert services.remind_organizers() == 1
    assert [message.to for message in mail.outbox] == [[space_admin.email]]


def test_the_worker_writes_the_registration_email_of_the_state_it_finds(component, organization):
    """The e-mail is written by the worker: a registration promoted or cancelled in between
    gets no stale "waiting" or "confirmed" e-mail (the promotion's own e-mail says it)."""
    meeting = make_meeting(component, places=1)
    first, second = person(organization), person(organization)
    taken = services.register(actor=first, meeting=meeting)
    waiting = services.register(actor=second, meeting=meeting)
    mail.outbox.clear()
    services.cancel_registration(actor=first, registration=taken)
    assert [message.to for message in mail.outbox] == [[second.email]]  # promoted
    assert services.send_registration_email(waiting.pk, "waiting") is False
    assert services.send_registration_email(taken.pk, "confirmed") is False
    waiting.refresh_from_db()
    assert services.send_registration_email(waiting.pk, "confirmed") is True
    assert waiting.code in mail.outbox[-1].body


def test_a_registration_moves_the_content_version_not_the_settings_version(meeting, participant):
    """Cached pages show the places left; what pages memoise per settings version (the
    component, its phases, the eligibility rules) stays warm through a registration storm."""
    from agora.core import pagecache

    content, settings_version = pagecache.current_versions()
    services.register(actor=participant, meeting=meeting)
    assert pagecache.current_versions()[0] > content
    assert pagecache.current_versions()[1] == settings_version
