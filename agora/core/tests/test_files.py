"""How uploads are stored, served and removed (agora.core.files): every file
field, the atomic storage, the public media view and the orphan command."""

import errno
import io
import os
import re
import time

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import CommandError, call_command
from django.db import models
from PIL import Image

from agora.accounts.models import User
from agora.testing import factories

RANDOM_NAME = re.compile(r"^[a-z/]+/[0-9a-f]{32}\.(jpg|png|gif|webp|pdf|docx|odt)$")


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "GIF")
    return buffer.getvalue()


def test_every_file_field_is_stored_under_a_random_name_with_the_detected_type():
    """A new file field must use the shared helper (or it would keep the
    browser's name, as every field did before)."""
    from agora.core.files import ImageUploadField, RandomName, UploadField

    fields = [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert len(fields) >= 9
    for model, field in fields:
        label = f"{model._meta.label}.{field.name}"
        assert isinstance(field, UploadField | ImageUploadField), label
        assert isinstance(field.upload_to, RandomName), label


def test_private_fields_are_outside_the_public_folder(settings):
    from agora.components.proposals.models import Attachment
    from agora.verifications.models import Verification

    for model, name in ((Attachment, "file"), (Verification, "document")):
        storage = model._meta.get_field(name).storage
        assert os.path.abspath(storage.location) == os.path.abspath(settings.AGORA_PRIVATE_MEDIA_ROOT)
        assert not os.path.abspath(storage.location).startswith(os.path.abspath(settings.MEDIA_ROOT))


def test_the_name_comes_from_the_content_never_from_the_browser(organization):
    user = factories.UserFactory()
    user.avatar = ContentFile(gif_bytes() + b"<script>alert(1)</script>", name="me.html")
    user.save()
    assert RANDOM_NAME.match(user.avatar.name) and user.avatar.name.endswith(".gif")
    unknown = factories.UserFactory()
    unknown.avatar = ContentFile(b"<html><script>alert(1)</script>", name="page.html")
    unknown.save()
    assert unknown.avatar.name.endswith(".bin")  # never .html, whatever is stored


class _FullDisk(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_every_file_field_turns_a_storage_error_into_a_message(monkeypatch, tmp_path):
    """The services' forms catch ValidationError: a full disk, on any file
    field, rolls the service back and shows the form again."""
    from agora.core.files import FileNotStored

    for model, field in [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]:
        monkeypatch.setattr(field, "storage", _FullDisk(location=tmp_path / "full"))
        instance = model()
        setattr(instance, field.attname, ContentFile(gif_bytes(), name="a.gif"))
        with pytest.raises(FileNotStored):
            field.pre_save(instance, add=True)
        assert not getattr(instance, field.attname), f"{model._meta.label}.{field.name}"
    assert not (tmp_path / "full").exists()


# --- writing: temporary name, moved into place --------------------------------------------------


class _FailingContent(ContentFile):
    """The disk fills up after the first chunk."""

    def chunks(self, chunk_size=None):
        yield b"x" * 1000
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_write_leaves_no_file_at_all(settings):
    storage = storages["default"]
    with pytest.raises(OSError):
        storage.save("avatars/half.gif", _FailingContent(b"", name="half.gif"))
    folder = settings.MEDIA_ROOT / "avatars"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_complete_write_is_moved_into_place(settings):
    storage = storages["default"]
    name = storage.save("avatars/whole.gif", ContentFile(gif_bytes()))
    assert (settings.MEDIA_ROOT / name).read_bytes() == gif_bytes()
    assert [path.name for path in (settings.MEDIA_ROOT / "avatars").iterdir()] == [os.path.basename(name)]


# --- serving public media ------------------------------------------------------------------------


@pytest.fixture
def serving(settings):
    settings.AGORA_SERVE_MEDIA = True


def test_an_image_is_served_inline_with_its_type_and_nosniff(client, organization, serving):
    user = factories.UserFactory()
    user.avatar = ContentFile(gif_bytes() + b"<script>alert(1)</script>", name="me.html")
    user.save()
    response = client.get(user.avatar.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    # The file's own policy: no script at all, sandboxed; the browser's picture viewer may style it.
    assert (
        response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )


def test_a_file_of_unknown_type_is_an_opaque_download(client, organization, serving, settings):
    # A file stored before random names, under the name the browser sent.
    (settings.MEDIA_ROOT / "avatars").mkdir(parents=True)
    (settings.MEDIA_ROOT / "avatars" / "me.html").write_bytes(b"GIF89a<script>alert(1)</script>")
    response = client.get("/media/avatars/me.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_is_a_download(client, organization, serving, settings):
    (settings.MEDIA_ROOT / "budgets" / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "budgets" / "documents" / "plan.pdf").write_bytes(b"%PDF-1.4\n<script>")
    response = client.get("/media/budgets/documents/plan.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_view_refuses_paths_outside_media_and_temporary_files(client, organization, serving, settings):
    (settings.MEDIA_ROOT / "avatars").mkdir(parents=True)
    (settings.MEDIA_ROOT / "avatars" / ".incoming-abc").write_bytes(b"GIF89a")
    settings.AGORA_PRIVATE_MEDIA_ROOT.mkdir(parents=True)
    (settings.AGORA_PRIVATE_MEDIA_ROOT / "secret.pdf").write_bytes(b"%PDF-1.4")
    assert client.get("/media/avatars/.incoming-abc").status_code == 404
    assert client.get("/media/../private/secret.pdf").status_code == 404
    assert client.get("/media/%2e%2e/private/secret.pdf").status_code == 404
    assert client.get("/media/avatars/").status_code == 404


def test_media_are_not_served_by_the_application_unless_asked(client, organization, settings):
    settings.AGORA_SERVE_MEDIA = False
    (settings.MEDIA_ROOT / "avatars").mkdir(parents=True)
    (settings.MEDIA_ROOT / "avatars" / "a.gif").write_bytes(gif_bytes())
    assert client.get("/media/avatars/a.gif").status_code == 404


# --- deleting after commit, orphans --------------------------------------------------------------


def test_a_refused_deletion_is_logged_and_the_change_stands(
    organization, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    from agora.core.files import delete_file_after_commit

    user = factories.UserFactory()
    user.avatar = ContentFile(gif_bytes(), name="a.gif")
    user.save()
    storage = user.avatar.storage

    def read_only(self, name):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(type(storages["default"]), "delete", read_only)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete_file_after_commit(user.avatar)
        assert storage.exists(user.avatar.name)  # nothing before the commit
    assert len(callbacks) == 1
    assert storage.exists(user.avatar.name)
    assert "remove_orphan_files" in caplog.text


def _age(path, hours):
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_orphan_command_lists_then_deletes_files_no_row_names(organization, settings, capsys):
    user = factories.UserFactory()
    user.avatar = ContentFile(gif_bytes(), name="a.gif")
    user.save()
    kept = settings.MEDIA_ROOT / user.avatar.name
    orphan = settings.MEDIA_ROOT / "news" / "0123456789abcdef0123456789abcdef.png"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x" * 10)
    private_orphan = settings.AGORA_PRIVATE_MEDIA_ROOT / "proposals" / "leftover.pdf"
    private_orphan.parent.mkdir(parents=True)
    private_orphan.write_bytes(b"%PDF-1.4")
    recent = settings.MEDIA_ROOT / "news" / "in-flight.png"
    recent.write_bytes(b"x")
    for path in (kept, orphan, private_orphan):
        _age(path, 3)

    call_command("remove_orphan_files")
    out = capsys.readouterr().out
    assert "public\tnews/0123456789abcdef0123456789abcdef.png" in out
    assert "private\tproposals/leftover.pdf" in out
    assert user.avatar.name not in out and "in-flight" not in out
    assert "2 orphan file(s)" in out
    assert orphan.exists() and private_orphan.exists()  # a dry run by default

    call_command("remove_orphan_files", "--delete")
    assert "2 orphan file(s) removed" in capsys.readouterr().out
    assert not orphan.exists() and not private_orphan.exists()
    assert kept.exists() and recent.exists()
    assert User.objects.get(pk=user.pk).avatar.name == user.avatar.name


def test_orphan_command_reports_files_it_cannot_remove(organization, settings, monkeypatch, capsys):
    orphan = settings.MEDIA_ROOT / "news" / "stuck.png"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    _age(orphan, 3)

    def read_only(name):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(storages["default"], "delete", read_only)
    with pytest.raises(CommandError):
        call_command("remove_orphan_files", "--delete")
    assert "not removed" in capsys.readouterr().err
    assert orphan.exists()


def test_s3_objects_get_the_detected_type_not_the_browsers(monkeypatch):
    """django-storages would store the Content-Type the browser sent (text/html
    for x.html); Agora's S3 storages set it from the detected extension. The
    S3 backend itself is stubbed: django-storages is only installed with S3."""
    import importlib
    import sys
    import types

    backend = types.ModuleType("storages.backends.s3")

    class S3Storage:
        object_parameters = {"CacheControl": "max-age=60"}

        def get_object_parameters(self, name):
            return dict(self.object_parameters)

    backend.S3Storage = S3Storage
    monkeypatch.setitem(sys.modules, "storages", types.ModuleType("storages"))
    monkeypatch.setitem(sys.modules, "storages.backends", types.ModuleType("storages.backends"))
    monkeypatch.setitem(sys.modules, "storages.backends.s3", backend)
    monkeypatch.delitem(sys.modules, "agora.core.s3", raising=False)
    s3 = importlib.import_module("agora.core.s3")
    public, private = s3.PublicMediaS3Storage(), s3.PrivateMediaS3Storage()
    assert public.get_object_parameters("avatars/ab.gif") == {"CacheControl": "max-age=60", "ContentType": "image/gif"}
    assert private.get_object_parameters("proposals/ab.pdf") == {
        "CacheControl": "max-age=60",
        "ContentType": "application/pdf",
        "ContentDisposition": "attachment",
    }
    assert public.get_object_parameters("avatars/me.html")["ContentType"] == "application/octet-stream"
    monkeypatch.delitem(sys.modules, "agora.core.s3")


def test_s3_settings_sign_private_files_with_an_expiry(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agora.settings",
        "AGORA_S3_BUCKET": "agora-media",
        "AGORA_S3_PUBLIC_DOMAIN": "media.example.org",
        "AGORA_S3_PRIVATE_URL_SECONDS": "120",
        "DATABASE_URL": f"sqlite:///{tmp_path / 's3.sqlite3'}",
    }
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    storages_setting = json.loads(result.stdout)
    private = storages_setting["private"]
    assert private["BACKEND"] == "agora.core.s3.PrivateMediaS3Storage"
    assert private["OPTIONS"]["querystring_auth"] is True and private["OPTIONS"]["querystring_expire"] == 120
    assert private["OPTIONS"]["location"] == "private" and private["OPTIONS"]["default_acl"] == "private"
    public = storages_setting["default"]
    assert public["BACKEND"] == "agora.core.s3.PublicMediaS3Storage"
    assert public["OPTIONS"]["custom_domain"] == "media.example.org"


def test_files_stored_before_random_names_are_renamed_and_private_ones_moved(
    organization, settings, django_capture_on_commit_callbacks
):
    """What the data migrations run on existing rows."""
    from agora.components.proposals.models import Attachment
    from agora.components.proposals.tests.factories import ProposalFactory
    from agora.core.files import rename_stored_files

    old_avatar = settings.MEDIA_ROOT / "avatars" / "me.html"
    old_avatar.parent.mkdir(parents=True)
    old_avatar.write_bytes(gif_bytes() + b"<script>")
    old_attachment = settings.MEDIA_ROOT / "proposals" / "2026" / "05" / "x.html"
    old_attachment.parent.mkdir(parents=True)
    old_attachment.write_bytes(b"%PDF-1.4\n<script>")
    user = factories.UserFactory()
    User.objects.filter(pk=user.pk).update(avatar="avatars/me.html")
    missing = factories.UserFactory()
    User.objects.filter(pk=missing.pk).update(avatar="avatars/gone.png")
    attachment = Attachment.objects.create(
        proposal=ProposalFactory(),
        file="proposals/2026/05/x.html",
        title="x",
        kind="document",
        content_type="application/pdf",
        size=17,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert rename_stored_files(User, "avatar", folder="avatars") == 1
        assert rename_stored_files(Attachment, "file", folder="proposals", private=True) == 1
    avatar = User.objects.get(pk=user.pk).avatar.name
    assert RANDOM_NAME.match(avatar) and avatar.endswith(".gif")
    assert (settings.MEDIA_ROOT / avatar).read_bytes().endswith(b"<script>") and not old_avatar.exists()
    assert User.objects.get(pk=missing.pk).avatar.name == "avatars/gone.png"  # left as it was
    moved = Attachment.objects.get(pk=attachment.pk).file.name
    assert RANDOM_NAME.match(moved) and moved.endswith(".pdf")
    assert (settings.AGORA_PRIVATE_MEDIA_ROOT / moved).exists() and not old_attachment.exists()
    assert not (settings.MEDIA_ROOT / moved).exists()
