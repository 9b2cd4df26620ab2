"""Every page renders in French and English, with data, one h1 and labelled fields."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.testing import factories
from agora.verifications import services

from .test_methods import _png


@pytest.fixture
def busy(organization, org_admin, participant, enable, district):
    enable("census", "letter", "sms", "document")
    services.configure_oidc(
        actor=org_admin,
        organization=organization,
        name="FranceConnect",
        slug="fc",
        server_url="https://fc.example.org",
        client_id="x",
        secret="y",
    )
    other = factories.UserFactory(nickname="holder<b>")
    services.record_in_person(
        actor=org_admin,
        organization=organization,
        user=other,
        last_name="A",
        first_name="B",
        birth_date=date(1990, 1, 1),
        scope=district,
    )
    services.record_in_person(
        actor=org_admin,
        organization=organization,
        user=participant,
        last_name="A",
        first_name="B",
        birth_date=date(1990, 1, 1),
    )
    services.request_letter(
        user=participant,
        organization=organization,
        full_name="<script>x</script>",
        address="1 rue",
        postal_code="45000",
        city="Orléans",
    )
    return services.submit_document(
        user=participant,
        organization=organization,
        last_name="C",
        first_name="D",
        birth_date=date(1990, 1, 1),
        document=SimpleUploadedFile("x.png", _png()),
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_render(client, org_admin, participant, busy, language):
    client.cookies["agora_language"] = language
    client.force_login(participant)
    for url in (
        "/verifications/",
        "/verifications/census/",
        "/verifications/letter/",
        "/verifications/sms/",
        "/verifications/document/",
        "/verifications/oidc/",
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert html.count("<h1") == 1, url
    client.force_login(org_admin)
    for url in (
        "/admin/verifications/",
        "/admin/verifications/census/",
        "/admin/verifications/letters/",
        "/admin/verifications/documents/",
        f"/admin/verifications/documents/{busy.pk}/",
        "/admin/verifications/verified/",
        "/admin/verifications/conflicts/",
        "/admin/desk/",
        "/admin/desk/new/",
        "/admin/desk/check/",
        "/admin/desk/agents/",
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert html.count("<h1") == 1, url
        assert "<script>x</script>" not in html and "holder<b>" not in html, url
