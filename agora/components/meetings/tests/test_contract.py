"""What issue 18 lists beside registration and that no other test held (and the
links to other components, which were missing): the
details a meeting's page shows (services, hints, organizing group, the closing's
figures and recordings), the QR code of the confirmation e-mail, the change of a
meeting told to the registered people and followers, the global agenda's
category, period and map, and the component contract's search, statistics and
open-data rows."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from agora.components.meetings import hooks, services
from agora.components.meetings.models import Meeting
from agora.components.meetings.tests.conftest import make_meeting, person
from agora.core.translations import tr
from agora.follows.services import add_follow
from agora.notifications.models import Notification
from agora.permissions import PermissionDenied
from agora.testing import factories


def detail(client, meeting) -> str:
    return client.get(meeting.get_absolute_url()).content.decode()


def test_the_page_shows_the_services_the_hints_and_the_organizing_group(client, component):
    meeting = make_meeting(
        component,
        services=[Meeting.Service.CHILDCARE, Meeting.Service.INTERPRETATION, Meeting.Service.ACCESSIBLE],
        location=tr("Salle polyvalente"),
        location_hints=tr("<p>Entrée par la cour, deuxième porte.</p>"),
        organizer_group="Collectif des Prés",
    )
    html = detail(client, meeting)
    assert "Garde d’enfants" in html and "Interprétation" in html and "Salle accessible" in html
    assert "Salle polyvalente" in html and "Entrée par la cour, deuxième porte." in html
    assert "Collectif des Prés" in html


def test_the_closing_shows_its_figures_organizations_and_recordings(client, component, org_admin):
    held = make_meeting(component, starts_at=timezone.now() - timedelta(days=2))
    services.close_meeting(
        actor=org_admin,
        meeting=held,
        minutes=tr("<p>Trois propositions retenues.</p>"),
        attendee_count=42,
        contributions_count=17,
        organizations_present="Vélo Cité, Comité des Prés",
        video_url="https://video.example/seance",
        audio_url="https://audio.example/seance.mp3",
    )
    held.refresh_from_db()
    assert (held.attendee_count, held.contributions_count) == (42, 17)
    html = detail(client, held)
    assert "Trois propositions retenues." in html and "42" in html and "17" in html
    assert "Vélo Cité, Comité des Prés" in html
    assert 'href="https://video.example/seance"' in html and 'href="https://audio.example/seance.mp3"' in html


def test_the_confirmation_e_mail_carries_the_qr_code_of_the_registration(
    client, meeting, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(actor=participant, meeting=meeting)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert registration.code in html
    qr = re.search(r'<img src="http://testserver(/meetings/qr/[^"]+)"[^>]* alt="[^"]+"', html)
    assert qr is not None, html
    image = client.get(qr.group(1))  # readable without logging in: the link is signed
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_a_change_of_date_is_told_to_the_registered_people_and_the_followers(
    component, organization, org_admin, django_capture_on_commit_callbacks
):
    meeting = make_meeting(component)
    registered, follower, bystander = person(organization), person(organization), person(organization)
    services.register(actor=registered, meeting=meeting)
    add_follow(user=follower, target=meeting)
    mail.outbox.clear()
    # A change of the description alone is not announced.
    meeting.description = tr("<p>Ordre du jour précisé.</p>")
    services.save_meeting(actor=org_admin, meeting=meeting)
    assert not Notification.objects.filter(event=services.UPDATED).exists() and mail.outbox == []
    later = meeting.starts_at + timedelta(days=1)
    meeting.starts_at, meeting.ends_at = later, later + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_meeting(actor=org_admin, meeting=meeting)
    told = set(Notification.objects.filter(event=services.UPDATED).values_list("recipient_id", flat=True))
    assert told == {registered.pk, follower.pk}
    assert [message.to for message in mail.outbox] == [[registered.email]]
    assert bystander.pk not in told


def test_the_global_agenda_filters_by_category_and_period_and_maps_the_located_meetings(client, component):
    organization = component.space.organization
    transport = factories.CategoryFactory(organization=organization, name=tr("Transports"))
    soon = timezone.now() + timedelta(days=3)
    far = timezone.now() + timedelta(days=60)
    make_meeting(
        component,
        title=tr("Atelier pistes cyclables"),
        category=transport,
        starts_at=soon,
        latitude="48.111000",
        longitude="-1.680000",
    )
    make_meeting(component, title=tr("Conseil de quartier"), starts_at=far)
    html = client.get(f"/agenda/?category={transport.pk}").content.decode()
    assert "Atelier pistes cyclables" in html and "Conseil de quartier" not in html
    window = (far - timedelta(days=1)).date().isoformat(), (far + timedelta(days=1)).date().isoformat()
    html = client.get(f"/agenda/?start={window[0]}&end={window[1]}").content.decode()
    assert "Conseil de quartier" in html and "Atelier pistes cyclables" not in html
    html = client.get("/agenda/?view=map").content.decode()
    points = re.search(r'<script id="meetings-map-points" type="application/json">(.*?)</script>', html, re.S)
    assert points is not None and "Atelier pistes cyclables" in points.group(1)
    assert "Conseil de quartier" not in points.group(1)  # not located: not on the map
    # The map's text alternative: the same places as a list.
    assert re.search(r"<ol>\s*<li><a href=\"[^\"]+\">Atelier pistes cyclables</a>", html)


def test_search_statistics_and_open_data_read_the_public_meetings(component, org_admin):
    held = make_meeting(
        component,
        title=tr("Balade urbaine des Prés"),
        starts_at=timezone.now() - timedelta(days=3),
        services=[Meeting.Service.CHILDCARE],
    )
    services.close_meeting(actor=org_admin, meeting=held, minutes=tr("<p>Passerelle demandée.</p>"), attendee_count=25)
    make_meeting(component, title=tr("Atelier à venir"))
    make_meeting(component, title=tr("Réunion annulée"), cancelled_at=timezone.now())
    make_meeting(component, title=tr("Réunion privée"), visibility=Meeting.Visibility.PRIVATE)
    make_meeting(component, title=tr("Brouillon"), published_at=None)

    found = {title: (text, url) for title, text, url in hooks.search(component)}
    assert set(found) == {"Balade urbaine des Prés", "Atelier à venir", "Réunion annulée"}
    assert "Passerelle demandée." in found["Balade urbaine des Prés"][0]  # the minutes are searched

    with translation.override("en"):
        figures = {str(label): value for label, value in hooks.stats(component)}
    assert figures["Meetings held"] == 1 and figures["Upcoming meetings"] == 1
    assert figures["Attendees"] == 25 and figures["Meetings"] == 3

    rows = {row["title"]["fr"]: row for row in hooks.open_data_meetings(component)}
    assert set(rows) == {"Balade urbaine des Prés", "Atelier à venir", "Réunion annulée"}
    assert rows["Réunion annulée"]["cancelled"] is True
    assert (
        rows["Balade urbaine des Prés"]["attendees"] == 25
        and rows["Balade urbaine des Prés"]["services"] == "childcare"
    )
    assert all("email" not in key and "registr" not in key or key == "registered" for key in rows["Atelier à venir"])


def test_the_officer_links_other_components_of_the_space_and_the_page_shows_the_public_ones(
    client, component, org_admin
):
    survey = factories.ComponentFactory(space=component.space, manifest_name="surveys", name=tr("Questionnaire vélo"))
    draft = factories.ComponentFactory(
        space=component.space, manifest_name="debates", name=tr("Débat en préparation"), published_at=None
    )
    elsewhere = factories.ComponentFactory(manifest_name="surveys", name=tr("Ailleurs"))
    client.force_login(org_admin)
    create = reverse("meetings_admin:create", kwargs={"space_id": component.space_id, "component_id": component.pk})
    form = client.get(create).content.decode()
    assert "Questionnaire vélo" in form and "Débat en préparation" in form
    assert "Ailleurs" not in form and f'value="{component.pk}" name="linked_components"' not in form
    data = {
        "title__fr": "Présentation du questionnaire",
        "description__fr": "On en parle.",
        "kind": "in_person",
        "visibility": "public",
        "address": "Place du marché",
        "starts_at": "2030-05-02T18:00",
        "ends_at": "2030-05-02T20:00",
        "time_zone": "Europe/Paris",
        "registration_type": "none",
        "reserved_places": "0",
        "linked_components": [str(survey.pk), str(draft.pk)],
    }
    refused = client.post(create, {**data, "linked_components": [str(elsewhere.pk)]})
    assert refused.status_code == 200 and not Meeting.objects.exists()
    response = client.post(create, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert set(meeting.linked_components.all()) == {survey, draft}
    Meeting.objects.filter(pk=meeting.pk).update(published_at=timezone.now())
    client.logout()
    html = detail(client, meeting)
    assert f'<a href="{survey.get_absolute_url()}">Questionnaire vélo</a>' in html
    assert "Débat en préparation" not in html  # not published: not linked on the public page


def test_the_service_links_only_other_components_of_the_space_and_only_for_managers(
    component, meeting, org_admin, participant
):
    other_space = factories.ComponentFactory(manifest_name="surveys")
    for wrong in ([other_space], [component]):
        with translation.override("en"), pytest.raises(ValidationError, match="other components of this space"):
            services.save_meeting(actor=org_admin, meeting=meeting, linked_components=wrong)
    assert not meeting.linked_components.exists()
    survey = factories.ComponentFactory(space=component.space, manifest_name="surveys")
    with pytest.raises(PermissionDenied):
        services.save_meeting(actor=participant, meeting=meeting, linked_components=[survey])
    services.save_meeting(actor=org_admin, meeting=meeting, linked_components=[survey])
    assert list(meeting.linked_components.all()) == [survey]
    services.save_meeting(actor=org_admin, meeting=meeting)  # None keeps the links
    assert list(meeting.linked_components.all()) == [survey]
