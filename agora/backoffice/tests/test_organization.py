import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agora.actionlog.models import ActionLog
from agora.core import services
from agora.core.models import TermsVersion
from agora.permissions import PermissionDenied
from agora.testing import factories


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1d4f91").save(buffer, "PNG")
    return buffer.getvalue()


def settings_data(organization, **changes):
    data = {
        "name": organization.name,
        "primary_colour": "#1d4f91",
        "secondary_colour": "#b3261e",
        "default_language": "fr",
        "available_languages": ["fr", "en"],
        "reference_prefix": "BV",
        "contact_email": "mairie@example.org",
        "registration_mode": "open",
        "profile_fields": ["postal_code"],
        "description__fr": "<p>Bienvenue</p><script>x</script>",
        "description__en": "",
    }
    data.update(changes)
    return data


def test_org_admin_saves_the_settings(admin_client, organization):
    response = admin_client.post(reverse("backoffice:organization"), settings_data(organization, name="Belleville"))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Belleville" and organization.profile_fields == ["postal_code"]
    assert organization.description == {"fr": "<p>Bienvenue</p>"}
    assert ActionLog.objects.filter(verb="organization.update", organization=organization).exists()


def test_a_main_colour_without_contrast_is_refused_with_a_message(admin_client, organization):
    admin_client.cookies["agora_language"] = "en"
    response = admin_client.post(
        reverse("backoffice:organization"), settings_data(organization, primary_colour="#ffff00", name="Changed")
    )
    assert response.status_code == 200
    assert "contrast" in response.content.decode()
    assert 'value="Changed"' in response.content.decode()  # what was typed is kept
    organization.refresh_from_db()
    assert organization.primary_colour == "#1d4f91"


def test_the_logo_is_checked_by_content(admin_client, organization):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = admin_client.post(reverse("backoffice:organization"), {**settings_data(organization), "logo": fake})
    assert response.status_code == 200 and not response.context["form"].is_valid()
    real = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = admin_client.post(reverse("backoffice:organization"), {**settings_data(organization), "logo": real})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.logo.name.startswith("organizations/logos/")


def test_default_language_must_be_available(admin_client, organization):
    response = admin_client.post(
        reverse("backoffice:organization"),
        settings_data(organization, default_language="en", available_languages=["fr"]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["available_languages"]


def test_services_refuse_people_without_the_right(organization, participant, process):
    space_admin = factories.RoleFactory(space=process).user
    for person in (participant, space_admin):
        with pytest.raises(PermissionDenied):
            services.update_organization(actor=person, organization=organization, values={"name": "X"})
        with pytest.raises(PermissionDenied):
            services.publish_terms(actor=person, organization=organization, body={"fr": "x"}, summary_of_changes={})


def test_service_checks_contrast_and_editable_fields(organization, org_admin):
    with pytest.raises(ValidationError):
        services.update_organization(actor=org_admin, organization=organization, values={"primary_colour": "#eeeeee"})
    with pytest.raises(ValueError):
        services.update_organization(actor=org_admin, organization=organization, values={"host": "evil.example"})


def test_publishing_terms_makes_participants_accept_again(admin_client, organization, participant, client):
    response = admin_client.post(
        reverse("backoffice:terms_new"),
        {
            "body__fr": "<p>Nouvelle charte</p>",
            "body__en": "",
            "summary_of_changes__fr": "Modération",
            "summary_of_changes__en": "",
        },
    )
    assert response.status_code == 302
    terms = TermsVersion.objects.get(organization=organization, version=2)
    assert terms.summary_of_changes == {"fr": "Modération"}
    assert ActionLog.objects.filter(verb="terms.publish", data__version=2).exists()
    from agora.accounts.selectors import terms_status

    fresh = type(participant).objects.get(pk=participant.pk)
    assert terms_status(fresh, organization).needs_acceptance
    page = admin_client.get(reverse("backoffice:terms"))
    assert page.status_code == 302 and page["Location"].startswith("/terms/")  # the officer accepts too
    from agora.accounts.models import Membership

    Membership.objects.filter(organization=organization).update(accepted_terms_version=2)
    page = admin_client.get(reverse("backoffice:terms"))
    assert "Modération" in page.content.decode()


def test_terms_need_a_text(admin_client, organization):
    response = admin_client.post(reverse("backoffice:terms_new"), {"body__fr": "", "summary_of_changes__fr": "x"})
    assert response.status_code == 200
    assert TermsVersion.objects.filter(organization=organization).count() == 1


def test_an_organization_sends_from_its_own_domain_only(admin_client, organization, org_admin):
    city = factories.OrganizationFactory(host="participez.ville.example", secondary_hosts=["budget.ville.example"])
    for address in ("ne-pas-repondre@ville.example", "x@participez.ville.example", "x@budget.ville.example"):
        assert (
            services.update_organization(
                actor=factories.UserFactory(is_superuser=True), organization=city, values={"sender_email": address}
            ).sender_email
            == address
        )
    for address in ("mairie@other-city.example", "x@example", "x@ville.example.evil.test"):
        with pytest.raises(ValidationError):
            services.update_organization(
                actor=factories.UserFactory(is_superuser=True), organization=city, values={"sender_email": address}
            )
    # On the settings screen: the reason, no error page, nothing saved.
    response = admin_client.post(
        reverse("backoffice:organization"), settings_data(organization, sender_email="mairie@other-city.example")
    )
    assert response.status_code == 200
    assert "own domain" in response.content.decode() or "propre domaine" in response.content.decode()
    organization.refresh_from_db()
    assert organization.sender_email == ""
