"""Meetings organized by participants (the component's setting "participants
may organize meetings"): who may, what they may not, editing their own, and
what the organization and the moderators keep."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from agora.components.meetings import services
from agora.components.meetings.models import Meeting
from agora.components.meetings.tests.conftest import make_meeting, person
from agora.core.translations import tr
from agora.moderation.services import hide_content
from agora.permissions import PermissionDenied, can
from agora.verifications.models import EligibilityRule


def url(component, name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={**component.url_kwargs(), **kwargs})


@pytest.fixture
def allowed(component):
    component.settings = {**(component.settings or {}), "participant_meetings": True}
    component.save(update_fields=["settings"])
    return component


def form(**overrides):
    starts = timezone.localtime() + timedelta(days=10)
    return {
        "title": "Atelier de réparation de vélos",
        "description": "Venez avec votre vélo : on répare ensemble freins et crevaisons.",
        "kind": "in_person",
        "address": "3 rue des Prés, Belleville",
        "location": "Local associatif",
        "online_url": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "registration_type": "agora",
        "places": "12",
        **overrides,
    }


def test_a_participant_organizes_a_meeting_when_the_component_allows_it(client, allowed, participant):
    client.force_login(participant)
    assert "Organiser une réunion" in client.get(url(allowed, "index")).content.decode()
    response = client.post(url(allowed, "create"), form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.organizer == participant and meeting.is_published
    assert meeting.visibility == Meeting.Visibility.PUBLIC and meeting.reserved_places == 0 and meeting.places == 12
    assert meeting.description == {"fr": "<p>Venez avec votre vélo : on répare ensemble freins et crevaisons.</p>"}
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert participant.public_name in page and url(allowed, "edit", meeting_id=meeting.pk) in page


def test_organizing_is_refused_without_the_setting_anonymously_and_to_the_ineligible(client, component, participant):
    client.force_login(participant)
    assert client.get(url(component, "create")).status_code == 403
    assert client.post(url(component, "create"), form()).status_code == 403
    assert "Organiser une réunion" not in client.get(url(component, "index")).content.decode()
    component.settings = {**(component.settings or {}), "participant_meetings": True}
    component.save(update_fields=["settings"])
    EligibilityRule.objects.create(component=component, action="create", min_age=16)
    with translation.override("en"):
        decision = can(participant, "meetings.create", component)
    assert not decision and "date of birth" in decision.reason
    assert client.post(url(component, "create"), form()).status_code == 403
    client.logout()
    assert client.get(url(component, "create")).status_code == 302  # to the login page
    assert not Meeting.objects.exists()


def test_bad_input_comes_back_with_messages(client, allowed, participant):
    client.force_login(participant)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url(allowed, "create"), form(address="", starts_at=past, registration_type="external"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "registration_type" in page and not Meeting.objects.exists()
    response = client.post(url(allowed, "create"), form(address="", kind="in_person"))
    assert response.status_code == 400 and "Indiquez l" in response.content.decode()  # the address
    response = client.post(url(allowed, "create"), form(starts_at=past, ends_at=past))
    assert response.status_code == 400 and not Meeting.objects.exists()


def test_the_service_keeps_participants_meetings_public_and_upcoming(allowed, participant):
    meeting = Meeting(
        title=tr("Réunion privée"),
        description=tr("<p>Entre nous.</p>"),
        kind=Meeting.Kind.ONLINE,
        online_url="https://visio.example/x",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        visibility=Meeting.Visibility.PRIVATE,
        registration_type=Meeting.Registration.EXTERNAL,
        registration_url="https://example.org",
    )
    with pytest.raises(ValidationError):
        services.organize_meeting(actor=participant, component=allowed, meeting=meeting)
    meeting.registration_type = Meeting.Registration.NONE
    made = services.organize_meeting(actor=participant, component=allowed, meeting=meeting)
    assert made.visibility == Meeting.Visibility.PUBLIC and made.registration_url == ""


def test_the_organizer_edits_their_meeting_others_may_not(client, allowed, participant, organization):
    client.force_login(participant)
    client.post(url(allowed, "create"), form())
    meeting = Meeting.objects.get()
    edit = url(allowed, "edit", meeting_id=meeting.pk)
    assert client.get(edit).status_code == 200
    response = client.post(edit, form(title="Atelier vélo (nouvelle salle)", address="5 rue des Prés"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title["fr"] == "Atelier vélo (nouvelle salle)" and meeting.address == "5 rue des Prés"
    assert meeting.organizer == participant
    someone = person(organization)
    client.force_login(someone)
    assert client.get(edit).status_code == 403
    assert client.post(edit, form(title="Détourné")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.edit_own_meeting(actor=someone, meeting=meeting)
    # The organization's meetings are edited in the back-office only.
    official = make_meeting(allowed)
    client.force_login(participant)
    assert client.get(url(allowed, "edit", meeting_id=official.pk)).status_code == 403
    # Once started, not even the organizer.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )
    assert client.get(edit).status_code == 403
    meeting.refresh_from_db()
    assert meeting.title["fr"] == "Atelier vélo (nouvelle salle)"


def test_the_organization_cancels_and_the_moderators_hide_a_participants_meeting(
    client, allowed, participant, org_admin
):
    client.force_login(participant)
    client.post(url(allowed, "create"), form())
    meeting = Meeting.objects.get()
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(actor=participant, meeting=meeting, reason=tr("<p>Non.</p>"))
    services.cancel_meeting(actor=org_admin, meeting=meeting, reason=tr("<p>Hors du cadre de la concertation.</p>"))
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert client.get(url(allowed, "edit", meeting_id=meeting.pk)).status_code == 403
    other = services.organize_meeting(
        actor=participant,
        component=allowed,
        meeting=Meeting(
            title=tr("Autre atelier"),
            description=tr("<p>Encore.</p>"),
            kind=Meeting.Kind.ONLINE,
            online_url="https://visio.example/y",
            starts_at=timezone.now() + timedelta(days=4),
            ends_at=timezone.now() + timedelta(days=4, hours=1),
        ),
    )
    hide_content(actor=org_admin, obj=other)
    client.logout()
    assert "Autre atelier" not in client.get(url(allowed, "index")).content.decode()
    assert client.get(other.get_absolute_url()).status_code in (403, 404)
