import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agora.components.meetings import calendars, services, site_views
from agora.components.meetings.models import Meeting, Registration
from agora.components.meetings.tests.conftest import make_meeting, person
from agora.core.translations import tr
from agora.taxonomy.models import Scope
from agora.testing import factories


def url(component, name="index", **kwargs):
    return reverse(f"meetings:{name}", kwargs={**component.url_kwargs(), **kwargs})


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"meetings_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def test_the_list_shows_upcoming_meetings_and_filters(client, component):
    make_meeting(component, title=tr("Atelier à venir"))
    make_meeting(component, title=tr("Réunion passée"), starts_at=timezone.now() - timedelta(days=5))
    make_meeting(component, title=tr("Brouillon caché"), published_at=None)
    make_meeting(component, title=tr("Réunion privée"), visibility=Meeting.Visibility.PRIVATE)
    make_meeting(component, title=tr("Webinaire"), kind=Meeting.Kind.ONLINE, online_url="https://visio.example/1")
    html = client.get(url(component)).content.decode()
    assert "Atelier à venir" in html and "Webinaire" in html
    assert "Réunion passée" not in html and "Brouillon caché" not in html and "Réunion privée" not in html
    html = client.get(url(component) + "?when=past").content.decode()
    assert "Réunion passée" in html and "Atelier à venir" not in html
    html = client.get(url(component) + "?kind=online").content.decode()
    assert "Webinaire" in html and "Atelier à venir" not in html
    html = client.get(url(component) + "?kind=nonsense&when=???").content.decode()
    assert "Atelier à venir" in html


def test_the_detail_page_shows_agenda_places_and_the_register_button(client, component, meeting, participant):
    client.force_login(participant)
    html = client.get(url(component, "detail", meeting_id=meeting.pk)).content.decode()
    assert "Réunion publique des Prés" in html and "10 places restantes sur 10" in html
    assert url(component, "register", meeting_id=meeting.pk) in html


def test_register_and_cancel_through_the_pages(client, component, meeting, participant):
    client.force_login(participant)
    response = client.post(url(component, "register", meeting_id=meeting.pk))
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=meeting, user=participant)
    page = client.get(url(component, "registration", meeting_id=meeting.pk)).content.decode()
    assert registration.code in page and "/meetings/qr/" in page
    qr = client.get(re.search(r'src="(/meetings/qr/[^"]+)"', page).group(1))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    client.post(url(component, "cancel_registration", meeting_id=meeting.pk))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_an_anonymous_visitor_is_sent_to_log_in_to_register(client, component, meeting):
    response = client.post(url(component, "register", meeting_id=meeting.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_terms_not_accepted_re_render_the_page_with_a_message(client, component, participant):
    meeting = make_meeting(component, registration_terms=tr("<p>Des photos seront prises.</p>"))
    client.force_login(participant)
    response = client.post(url(component, "register", meeting_id=meeting.pk))
    assert response.status_code == 400
    assert "Acceptez les conditions d’inscription" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_private_meeting_is_refused_to_others_and_shown_to_invitees(client, component, participant, org_admin):
    meeting = make_meeting(component, visibility=Meeting.Visibility.PRIVATE, title=tr("Comité restreint"))
    client.force_login(participant)
    assert client.get(url(component, "detail", meeting_id=meeting.pk)).status_code == 403
    services.invite(actor=org_admin, meeting=meeting, emails=[participant.email])
    assert client.get(url(component, "detail", meeting_id=meeting.pk)).status_code == 200


def test_the_online_link_shows_to_registered_people_from_30_minutes_before(
    client, component, participant, organization
):
    soon = make_meeting(
        component,
        kind=Meeting.Kind.ONLINE,
        online_url="https://visio.example/secret",
        starts_at=timezone.now() + timedelta(minutes=20),
    )
    later = make_meeting(
        component,
        kind=Meeting.Kind.ONLINE,
        online_url="https://visio.example/later",
        starts_at=timezone.now() + timedelta(hours=2),
    )
    services.register(actor=participant, meeting=soon)
    services.register(actor=participant, meeting=later)
    client.force_login(participant)
    assert "https://visio.example/secret" in client.get(url(component, "detail", meeting_id=soon.pk)).content.decode()
    assert (
        "https://visio.example/later" not in client.get(url(component, "detail", meeting_id=later.pk)).content.decode()
    )
    client.force_login(person(organization))  # not registered
    assert (
        "https://visio.example/secret" not in client.get(url(component, "detail", meeting_id=soon.pk)).content.decode()
    )


def test_the_calendars_are_valid_and_keep_cancelled_meetings(client, component, organization):
    meeting = make_meeting(component, title=tr("Conseil de quartier"))
    make_meeting(component, title=tr("Annulée"), cancelled_at=timezone.now())
    feed = Calendar.from_ical(client.get(url(component, "calendar")).content)
    events = {str(event["summary"]): event for event in feed.walk("VEVENT")}
    assert set(events) == {"Conseil de quartier", "Annulée"}
    assert (
        str(events["Annulée"]["status"]) == "CANCELLED" and str(events["Conseil de quartier"]["status"]) == "CONFIRMED"
    )
    single = Calendar.from_ical(client.get(url(component, "meeting_calendar", meeting_id=meeting.pk)).content)
    assert [str(e["uid"]) for e in single.walk("VEVENT")] == [f"meeting-{meeting.pk}@{organization.host}"]
    agenda = Calendar.from_ical(b"".join(client.get("/agenda.ics").streaming_content))
    assert {str(e["summary"]) for e in agenda.walk("VEVENT")} == {"Conseil de quartier", "Annulée"}
    assert [zone["tzid"] for zone in agenda.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_the_agenda_feed_writes_each_event_once_per_version(client, component, monkeypatch):
    """/agenda.ics keeps each meeting's event (calendars.event_blocks): asked again it writes
    none; a meeting changed (or cancelled) is written again, the others are not; the feed is
    bounded."""
    first = make_meeting(component, title=tr("Conseil de quartier"))
    make_meeting(component, title=tr("Atelier vélo"))
    written = []
    making = calendars._event

    def counting(meeting, *args):
        written.append(meeting.pk)
        return making(meeting, *args)

    monkeypatch.setattr(calendars, "_event", counting)

    def feed():
        response = client.get("/agenda.ics")
        assert response.status_code == 200 and response.streaming
        return Calendar.from_ical(b"".join(response.streaming_content))

    assert {str(e["summary"]) for e in feed().walk("VEVENT")} == {"Conseil de quartier", "Atelier vélo"}
    assert len(written) == 2
    feed()
    assert len(written) == 2
    first.title = tr("Conseil de quartier (nouvelle salle)")
    first.save()
    Meeting.objects.filter(pk=first.pk).update(cancelled_at=timezone.now())
    events = {str(e["summary"]): str(e["status"]) for e in feed().walk("VEVENT")}
    assert events == {"Conseil de quartier (nouvelle salle)": "CANCELLED", "Atelier vélo": "CONFIRMED"}
    assert written[2:] == [first.pk]
    monkeypatch.setattr(site_views, "ICS_LIMIT", 1)
    assert len(feed().walk("VEVENT")) == 1


def test_the_global_agenda_lists_every_public_space_with_filters(client, component, organization):
    other_space = factories.SpaceFactory(organization=organization)
    other = factories.ComponentFactory(space=other_space, manifest_name="meetings")
    hidden_space = factories.SpaceFactory(organization=organization, published_at=None)
    hidden = factories.ComponentFactory(space=hidden_space, manifest_name="meetings")
    district = Scope.objects.create(organization=organization, name=tr("Les Prés"), code="P")
    make_meeting(component, title=tr("Réunion A"), scope=district)
    make_meeting(other, title=tr("Réunion B"), kind=Meeting.Kind.HYBRID, online_url="https://visio.example/b")
    make_meeting(hidden, title=tr("Réunion cachée"))
    html = client.get("/agenda/").content.decode()
    assert "Réunion A" in html and "Réunion B" in html and "Réunion cachée" not in html
    html = client.get(f"/agenda/?scope={district.pk}").content.decode()
    assert "Réunion A" in html and "Réunion B" not in html
    html = client.get(f"/agenda/?space={other_space.pk}").content.decode()
    assert "Réunion B" in html and "Réunion A" not in html
    html = client.get("/agenda/?kind=hybrid").content.decode()
    assert "Réunion B" in html and "Réunion A" not in html
    response = client.get("/agenda/?start=2030-01-10&end=2030-01-01")
    assert response.status_code == 400


def test_the_month_view_is_a_table_with_headers(client, component):
    meeting = make_meeting(component, title=tr("Réunion du mois"))
    month = meeting.wall_start.strftime("%Y-%m")
    html = client.get(f"/agenda/?view=month&month={month}").content.decode()
    assert "<table" in html and "<caption>" in html and 'scope="col"' in html and "Réunion du mois" in html


def test_the_agenda_page_costs_the_same_queries_for_more_meetings(client, component, django_assert_max_num_queries):
    for index in range(3):
        make_meeting(component, title=tr(f"Réunion {index}"))
    client.get("/agenda/")
    with django_assert_max_num_queries(25):
        client.get("/agenda/")
    for index in range(15):
        make_meeting(component, title=tr(f"Autre {index}"))
    with django_assert_max_num_queries(25):
        client.get("/agenda/")


# --- back-office ----------------------------------------------------------------------------------


def test_the_back_office_creates_a_meeting_in_its_time_zone(client, component, org_admin):
    client.force_login(org_admin)
    data = {
        "title__fr": "Atelier des berges",
        "description__fr": "Un atelier.",
        "kind": "in_person",
        "visibility": "public",
        "address": "Quai du Châtelet",
        "starts_at": "2030-04-02T18:00",
        "ends_at": "2030-04-02T20:00",
        "time_zone": "Europe/Paris",
        "registration_type": "agora",
        "places": "30",
        "reserved_places": "5",
    }
    response = client.post(admin_url(component, "create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert meeting.starts_at.isoformat() == "2030-04-02T16:00:00+00:00"  # summer time since 31 March: UTC+2
    assert meeting.published_at is None and meeting.public_places == 25


def test_the_back_office_form_says_what_is_wrong(client, component, org_admin):
    client.force_login(org_admin)
    data = {
        "title__fr": "Atelier",
        "description__fr": "Un atelier.",
        "kind": "in_person",
        "visibility": "public",
        "address": "Quai",
        "starts_at": "2030-03-31T02:30",
        "ends_at": "2030-03-30T20:00",
        "time_zone": "Europe/Paris",
        "registration_type": "agora",
        "places": "10",
        "reserved_places": "20",
    }
    response = client.post(admin_url(component, "create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "existe pas dans le fuseau Europe/Paris" in html
    assert not Meeting.objects.exists()
    data["starts_at"] = "2030-03-30T21:00"
    html = client.post(admin_url(component, "create"), data).content.decode()
    assert ("La fin doit venir après le début" in html) and not Meeting.objects.exists()
    data["ends_at"] = "2030-03-30T22:00"
    html = client.post(admin_url(component, "create"), data).content.decode()
    assert "(10)" in html and not Meeting.objects.exists()


def test_staff_screens_refuse_participants(client, component, meeting, participant):
    client.force_login(participant)
    for name, kwargs in (
        ("index", {}),
        ("create", {}),
        ("meeting", {"meeting_id": meeting.pk}),
        ("publish", {"meeting_id": meeting.pk}),
        ("cancel", {"meeting_id": meeting.pk}),
        ("close", {"meeting_id": meeting.pk}),
        ("registrations", {"meeting_id": meeting.pk}),
        ("registrations_csv", {"meeting_id": meeting.pk}),
        ("attendance", {"meeting_id": meeting.pk}),
        ("attendance_sheet", {"meeting_id": meeting.pk}),
        ("invite", {"meeting_id": meeting.pk}),
        ("agenda", {"meeting_id": meeting.pk}),
    ):
        assert client.get(admin_url(component, name, **kwargs)).status_code == 403, name
    assert client.post(admin_url(component, "attendance", meeting_id=meeting.pk), {"code": "AAAAAA"}).status_code == 403


def test_the_door_page_validates_a_code_and_says_an_unknown_one(client, component, meeting, participant, org_admin):
    registration = services.register(actor=participant, meeting=meeting)
    client.force_login(org_admin)
    page = client.get(admin_url(component, "attendance", meeting_id=meeting.pk) + f"?code={registration.code}")
    assert registration.code in page.content.decode()
    response = client.post(admin_url(component, "attendance", meeting_id=meeting.pk), {"code": registration.code})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at is not None
    response = client.post(admin_url(component, "attendance", meeting_id=meeting.pk), {"code": "QQQQQQ"})
    assert response.status_code == 400 and "QQQQQQ" in response.content.decode()


def test_the_registrations_csv_and_the_attendance_sheet(client, component, meeting, participant, org_admin):
    registration = services.register(actor=participant, meeting=meeting)
    client.force_login(org_admin)
    csv_text = client.get(admin_url(component, "registrations_csv", meeting_id=meeting.pk)).content.decode()
    assert registration.code in csv_text and participant.email in csv_text
    pdf = client.get(admin_url(component, "attendance_sheet", meeting_id=meeting.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_public_export_has_no_personal_data(client, component, meeting, participant, org_admin):
    services.register(actor=participant, meeting=meeting)
    from agora.components.meetings.hooks import export_csv

    text = export_csv(component).content.decode()
    assert "Réunion publique des Prés" in text and participant.email not in text


def test_invitation_link_makes_the_invitation_the_persons(client, component, org_admin, organization):
    meeting = make_meeting(component, visibility=Meeting.Visibility.TRANSPARENT)
    services.invite(actor=org_admin, meeting=meeting, emails=["guest@example.org"])
    link = mail.outbox[-1].body.split("http://testserver")[1].split()[0]
    assert client.get(link).status_code == 302  # log in first
    guest = factories.UserFactory(email="guest@example.org")
    factories.member_of(guest, organization)
    client.force_login(guest)
    assert client.get(link).status_code == 302
    assert services.register(actor=guest, meeting=meeting).status == "confirmed"


@pytest.mark.parametrize("name", ["index", "calendar"])
def test_pages_of_an_unpublished_component_are_not_found(client, component, name):
    component.published_at = None
    component.save()
    assert client.get(url(component, name)).status_code == 404


def test_registering_costs_a_fixed_number_of_queries(
    client, component, organization, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """A registration storm (bench/agenda.py) pays each of these for every person: the
    meeting is read once, in the service, and the e-mail is the worker's (one task row)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    meeting = make_meeting(component, places=1)
    for number, expected in enumerate(["confirmed", "waiting"]):
        someone = person(organization)
        client.force_login(someone)
        with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(QUERIES_PER_REGISTRATION):
            response = client.post(url(component, "register", meeting_id=meeting.pk))
        assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
        assert Registration.objects.get(meeting=meeting, user=someone).status == expected
        queued = [result.args for result in default_task_backend.results if result.task.name == "registration_email"]
        assert len(queued) == number + 1 and queued[-1][1] == expected
    assert not mail.outbox  # written by the worker, not by the request


# Measured on SQLite and PostgreSQL, with nothing memoised yet (44 in production before the
# registration read the meeting once; the test's transaction adds a version statement per write).
QUERIES_PER_REGISTRATION = 29
