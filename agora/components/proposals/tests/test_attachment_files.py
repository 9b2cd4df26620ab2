"""Ideas' attachments are private files: stored under a random name with the
detected type, outside the public folder, served only after the permission
check, and kept consistent with their rows when the disk fails."""

import errno
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agora.components.proposals import services
from agora.components.proposals.models import Attachment, Proposal
from agora.moderation.models import Moderation
from agora.spaces.models import Role

from .conftest import configure
from .factories import ProposalFactory

BODY = "Installer des arceaux pour les vélos devant la médiathèque municipale."
POLYGLOT = b"%PDF-1.4\n<script>alert(document.cookie)</script>"


def url(component, name, **kwargs):
    return reverse(f"proposals:{name}", kwargs={**component.url_kwargs(), **kwargs})


def attachment_url(attachment):
    return f"{attachment.proposal.get_absolute_url()}attachments/{attachment.pk}/"


@pytest.fixture
def with_attachments(component):
    return configure(component, attachments_enabled=True)


def _file_draft(client, component, author, upload):
    client.force_login(author)
    response = client.post(url(component, "create"), {"title": "Arceaux", "body": BODY, "attachments": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Attachment.objects.get(proposal__author=author)


def test_an_html_named_pdf_is_stored_as_a_random_pdf_and_served_as_a_download(
    client, with_attachments, participant, settings, django_capture_on_commit_callbacks
):
    component = with_attachments
    attachment = _file_draft(
        client, component, participant, SimpleUploadedFile("x.html", POLYGLOT, content_type="text/html")
    )
    assert re.fullmatch(r"proposals/[0-9a-f]{32}\.pdf", attachment.file.name), attachment.file.name
    assert attachment.title == "x.html"  # the sent name is only shown, escaped, as the title
    assert (settings.AGORA_PRIVATE_MEDIA_ROOT / attachment.file.name).read_bytes() == POLYGLOT
    assert not (settings.MEDIA_ROOT / attachment.file.name).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(component, "publish", proposal_id=attachment.proposal_id))
    client.logout()

    page = client.get(url(component, "detail", proposal_id=attachment.proposal_id)).content.decode()
    assert f'href="{attachment_url(attachment)}"' in page
    response = client.get(attachment_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == POLYGLOT
    # No public address serves it, even where the application serves /media/.
    settings.AGORA_SERVE_MEDIA = True
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_a_drafts_attachment_is_only_for_its_author(client, with_attachments, participant, other_participant):
    component = with_attachments
    attachment = _file_draft(client, component, participant, SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    address = attachment_url(attachment)
    response = client.get(address)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    client.force_login(other_participant)
    assert client.get(address).status_code == 404
    client.logout()
    assert client.get(address).status_code == 404


def test_a_hidden_ideas_attachment_is_refused_to_the_public(
    client, with_attachments, participant, organization, other_participant
):
    component = with_attachments
    attachment = _file_draft(client, component, participant, SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    Proposal.objects.filter(pk=attachment.proposal_id).update(
        status=Proposal.Status.PUBLISHED, published_at=timezone.now()
    )
    Moderation.objects.create(
        organization=organization,
        space=component.space,
        content_type=ContentType.objects.get_for_model(Proposal),
        object_id=attachment.proposal_id,
        hidden_at=timezone.now(),
        hidden_by=Moderation.HiddenBy.choices[0][0],
    )
    address = attachment_url(attachment)
    assert client.get(address).status_code == 200  # its author
    client.force_login(other_participant)
    assert client.get(address).status_code == 404
    moderator = other_participant
    Role.objects.create(user=moderator, organization=organization, space=component.space, name="moderator")
    from agora.permissions import forget_roles

    forget_roles(moderator)
    assert client.get(address).status_code == 200


def test_an_unpublished_spaces_attachments_are_refused_to_the_public(
    client, with_attachments, participant, django_capture_on_commit_callbacks
):
    component = with_attachments
    attachment = _file_draft(client, component, participant, SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(component, "publish", proposal_id=attachment.proposal_id))
    client.logout()
    address = attachment_url(attachment)
    assert client.get(address).status_code == 200
    component.space.published_at = None
    component.space.save(update_fields=["published_at"])
    assert client.get(address).status_code == 404


def test_an_attachment_of_another_idea_is_not_served_through_this_one(client, with_attachments, participant):
    component = with_attachments
    attachment = _file_draft(client, component, participant, SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    other = ProposalFactory(component=component)
    assert (
        client.get(url(component, "attachment", proposal_id=other.pk, attachment_id=attachment.pk)).status_code == 404
    )


class _FullDisk(FileSystemStorage):
    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_gives_the_form_again_with_a_message_and_no_row_nor_file(
    client, with_attachments, participant, settings, monkeypatch, tmp_path
):
    component = with_attachments
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", _FullDisk(location=tmp_path / "full"))
    client.force_login(participant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        url(component, "create"),
        {"title": "Arceaux", "body": BODY, "attachments": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file could not be stored, try again later; your text was kept." in page
    assert 'value="Arceaux"' in page and "arceaux pour les vélos" in page
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
    for root in (settings.MEDIA_ROOT, settings.AGORA_PRIVATE_MEDIA_ROOT, tmp_path / "full"):
        assert not root.exists() or not [path for path in root.rglob("*") if path.is_file()]


def test_removing_an_attachment_on_a_read_only_disk_keeps_row_and_file_consistent(
    client, with_attachments, participant, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    component = with_attachments
    attachment = _file_draft(client, component, participant, SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    storage = Attachment._meta.get_field("file").storage

    def read_only(self, name):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(type(storage), "delete", read_only)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(component, "edit", proposal_id=attachment.proposal_id),
            {"title": "Arceaux", "body": BODY, "remove_attachments": [attachment.pk]},
        )
    assert response.status_code == 302
    assert not Attachment.objects.exists()  # the removal is committed
    assert storage.exists(attachment.file.name)  # the file waits for the orphan command
    assert "remove_orphan_files" in caplog.text
    monkeypatch.undo()
    from agora.core.files import find_orphan_files

    orphans = find_orphan_files(min_age=timezone.timedelta(0))
    assert [(each.storage_name, each.name) for each in orphans] == [("private", attachment.file.name)]


def test_the_file_is_deleted_after_the_commit_of_the_removal(
    client, with_attachments, participant, django_capture_on_commit_callbacks
):
    component = with_attachments
    attachment = _file_draft(client, component, participant, SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    storage = attachment.file.storage
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_draft(
            actor=participant,
            proposal=attachment.proposal,
            title="Arceaux",
            body=BODY,
            remove_attachments=[attachment.pk],
        )
        assert storage.exists(attachment.file.name)
    assert storage.exists(attachment.file.name) and len(callbacks) == 1
    callbacks[0]()
    assert not storage.exists(attachment.file.name)
