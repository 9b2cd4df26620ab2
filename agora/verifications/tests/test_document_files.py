"""Identity documents are private files: never under the public folder,
only served to the organization's verification officers."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agora.verifications import services


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_identity_documents_are_never_public(client, organization, org_admin, participant, enable, settings):
    settings.AGORA_SERVE_MEDIA = True
    enable("document")
    pdf = b"%PDF-1.4\n<script>alert(1)</script>"
    verification = services.submit_document(
        user=participant,
        organization=organization,
        last_name="Durand",
        first_name="Paul",
        birth_date=date(1970, 2, 3),
        document=SimpleUploadedFile("passeport.html", pdf),
    )
    name = verification.document.name
    assert name.startswith("verifications/documents/") and name.endswith(".pdf") and "passeport" not in name
    assert not (settings.MEDIA_ROOT / name).exists()
    assert (settings.AGORA_PRIVATE_MEDIA_ROOT / name).read_bytes() == pdf
    assert client.get(f"/media/{name}").status_code == 404

    address = f"/admin/verifications/documents/{verification.pk}/file/"
    client.force_login(participant)
    assert client.get(address).status_code == 403
    client.logout()
    assert client.get(address).status_code == 302  # to the login page
    client.force_login(org_admin)
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_scanned_picture_is_shown_inline_to_the_officer(client, organization, org_admin, participant, enable):
    enable("document")
    verification = services.submit_document(
        user=participant,
        organization=organization,
        last_name="Durand",
        first_name="Paul",
        birth_date=date(1970, 2, 3),
        document=SimpleUploadedFile("scan.pdf", _png()),
    )
    assert verification.document.name.endswith(".png")
    client.force_login(org_admin)
    response = client.get(f"/admin/verifications/documents/{verification.pk}/file/")
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
