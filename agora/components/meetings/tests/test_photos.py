"""Photos of a meeting held, shown with its minutes; a description is required."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from agora.components.meetings import services
from agora.components.meetings.models import MeetingPhoto
from agora.components.meetings.tests.conftest import make_meeting
from agora.core.translations import tr
from agora.permissions import PermissionDenied


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def held(component):
    return make_meeting(component, starts_at=timezone.now() - timedelta(days=1))


def admin_url(component, name, **kwargs):
    return reverse(
        f"meetings_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def test_a_photo_is_added_and_shown_with_its_description(client, component, held, org_admin):
    services.add_photo(actor=org_admin, meeting=held, image=png(), alt=tr("La salle pleine"))
    html = client.get(held.get_absolute_url()).content.decode()
    assert 'alt="La salle pleine"' in html


def test_a_photo_needs_a_description_and_a_meeting_held(component, held, org_admin):
    with pytest.raises(ValidationError):
        services.add_photo(actor=org_admin, meeting=held, image=png(), alt={})
    with pytest.raises(ValidationError):
        services.add_photo(actor=org_admin, meeting=make_meeting(component), image=png(), alt=tr("Trop tôt"))
    assert not MeetingPhoto.objects.exists()


def test_participants_cannot_add_or_remove_photos(client, component, held, participant, org_admin):
    with pytest.raises(PermissionDenied):
        services.add_photo(actor=participant, meeting=held, image=png(), alt=tr("Non"))
    photo = services.add_photo(actor=org_admin, meeting=held, image=png(), alt=tr("Oui"))
    client.force_login(participant)
    assert client.get(admin_url(component, "photos", meeting_id=held.pk)).status_code == 403
    assert client.post(admin_url(component, "photo_delete", meeting_id=held.pk, photo_id=photo.pk)).status_code == 403
    assert MeetingPhoto.objects.filter(pk=photo.pk).exists()


def test_the_back_office_uploads_and_removes_a_photo(client, component, held, org_admin):
    client.force_login(org_admin)
    response = client.post(admin_url(component, "photos", meeting_id=held.pk), {"image": png(), "alt__fr": "Le public"})
    assert response.status_code == 302
    photo = MeetingPhoto.objects.get()
    assert photo.variants  # smaller copies made
    client.post(admin_url(component, "photo_delete", meeting_id=held.pk, photo_id=photo.pk))
    assert not MeetingPhoto.objects.exists()
