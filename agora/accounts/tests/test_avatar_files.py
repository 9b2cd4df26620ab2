"""An avatar is stored under a random name with the type found in its bytes
and served as that image, whatever name the browser sent."""

import errno
import io
import re

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agora.accounts.models import User

from .test_profile import settings_data


def gif_with_script() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "GIF")
    return buffer.getvalue() + b"<script>alert(document.cookie)</script>"


def test_a_gif_named_html_is_stored_and_served_as_a_gif(client, organization, participant, settings):
    settings.AGORA_SERVE_MEDIA = True
    client.force_login(participant)
    response = client.post(
        reverse("accounts:settings"),
        settings_data(participant, avatar=SimpleUploadedFile("me.html", gif_with_script(), content_type="text/html")),
    )
    assert response.status_code == 302
    avatar = User.objects.get(pk=participant.pk).avatar
    assert re.fullmatch(r"avatars/[0-9a-f]{32}\.gif", avatar.name), avatar.name
    response = client.get(avatar.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"


class _FullDisk(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_keeps_the_form_and_the_old_avatar(client, organization, participant, png, monkeypatch, tmp_path):
    monkeypatch.setattr(User._meta.get_field("avatar"), "storage", _FullDisk(location=tmp_path / "full"))
    client.cookies["agora_language"] = "en"
    client.force_login(participant)
    response = client.post(
        reverse("accounts:settings"),
        settings_data(participant, name="Nouveau Nom", avatar=SimpleUploadedFile("a.png", png())),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file could not be stored, try again later; your text was kept." in page
    assert 'value="Nouveau Nom"' in page
    user = User.objects.get(pk=participant.pk)
    assert user.name == participant.name and not user.avatar
    assert not (tmp_path / "full").exists() or not list((tmp_path / "full").rglob("*.*"))
