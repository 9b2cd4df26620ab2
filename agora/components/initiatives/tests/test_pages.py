from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from agora.components.initiatives import services
from agora.components.initiatives.models import Initiative, Signature
from agora.components.initiatives.tests.conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    client.cookies["agora_language"] = "en"


def _url(initiative, name="detail"):
    return reverse(f"initiatives:{name}", kwargs={**initiative.component.url_kwargs(), "initiative_id": initiative.pk})


def _admin(component, name="index", **extra):
    return reverse(
        f"initiatives_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **extra}
    )


def test_the_list_and_the_page_show_progress_without_names(client, collecting, organization):
    hidden = person(organization)
    shown = person(organization)
    services.sign(actor=hidden, initiative=collecting)
    services.sign(actor=shown, initiative=collecting, public=True)
    page = client.get(collecting.component.get_absolute_url())
    assert page.status_code == 200 and escape(collecting.title) in page.content.decode()
    assert "<progress" in page.content.decode()
    detail = client.get(_url(collecting)).content.decode()
    assert shown.public_name in detail and hidden.public_name not in detail


def test_signing_through_the_page(client, collecting, organization):
    signer = person(organization)
    client.force_login(signer)
    response = client.post(_url(collecting, "sign"), {"public": "on"})
    assert response.status_code == 302
    assert Signature.objects.get(user=signer).public
    again = client.post(_url(collecting, "sign"))
    assert again.status_code == 403 and "already signed" in again.content.decode()


def test_the_sign_page_refuses_the_ineligible_and_the_anonymous(client, collecting, organization):
    assert client.post(_url(collecting, "sign")).status_code == 302  # to the login page
    young = person(organization, born=date.today().replace(year=date.today().year - 14))
    client.force_login(young)
    response = client.post(_url(collecting, "sign"))
    assert response.status_code == 403 and not Signature.objects.exists()


def test_withdraw_is_refused_to_a_non_signer(client, collecting, organization):
    client.force_login(person(organization))
    assert client.post(_url(collecting, "withdraw")).status_code == 403


def test_filing_and_the_promoters_pages(client, component, kind, participant, organization):
    client.force_login(participant)
    assert client.get(reverse("initiatives:create", kwargs=component.url_kwargs())).status_code == 200
    response = client.post(
        reverse("initiatives:create", kwargs=component.url_kwargs()),
        {"initiative_type": kind.pk, "title": "Des bancs", "body": "Un banc tous les 200 mètres, sur les avenues."},
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and initiative.state == Initiative.State.DRAFT
    assert client.get(_url(initiative, "edit")).status_code == 200
    short = client.post(reverse("initiatives:create", kwargs=component.url_kwargs()), {"title": "", "body": "x"})
    assert short.status_code == 400
    # Someone else does not see the draft, and cannot edit or submit it.
    other = person(organization)
    client.force_login(other)
    assert client.get(_url(initiative)).status_code == 404
    client.force_login(participant)
    assert client.post(_url(initiative, "submit")).status_code == 302
    initiative.refresh_from_db()
    assert initiative.state == Initiative.State.DRAFT  # the committee is missing: a message, nothing done


def test_the_back_office_is_for_the_space_admins(client, collecting, participant, space_admin):
    component = collecting.component
    urls = [
        _admin(component),
        _admin(component, "initiative", initiative_id=collecting.pk),
        _admin(component, "paper_line", initiative_id=collecting.pk),
        _admin(component, "sheet_count", initiative_id=collecting.pk),
        _admin(component, "type_create"),
        _admin(component, "type_edit", type_id=collecting.type_id),
        _admin(component, "tier_create", type_id=collecting.type_id),
    ]
    client.force_login(participant)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(_admin(component, "admit", initiative_id=collecting.pk)).status_code == 403
    client.force_login(space_admin)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_back_office_enters_a_paper_line_and_refuses_a_duplicate(client, collecting, space_admin):
    client.force_login(space_admin)
    line = {
        "sheet": 1,
        "line": 1,
        "last_name": "Martin",
        "first_name": "Camille",
        "birth_date": "1994-06-15",
        "postal_code": "38000",
        "signed_on": date.today().isoformat(),
    }
    assert client.post(_admin(collecting.component, "paper_line", initiative_id=collecting.pk), line).status_code == 302
    again = client.post(_admin(collecting.component, "paper_line", initiative_id=collecting.pk), {**line, "line": 2})
    assert again.status_code == 400 and "sheet 1, line 1" in again.content.decode()


def test_a_type_is_saved_from_the_back_office(client, component, space_admin):
    client.force_login(space_admin)
    response = client.post(
        _admin(component, "type_create"),
        {
            "title__fr": "Pétition",
            "signing": "both",
            "committee_minimum": 0,
            "sign_min_age": 16,
            "sign_methods": ["census"],
            "sign_postal_codes": "38000, 38100",
        },
    )
    assert response.status_code == 302
    kind = component.initiative_types.get()
    assert kind.sign_rule == {"methods": ["census"], "min_age": 16, "postal_codes": ["38000", "38100"]}
    bad = client.post(_admin(component, "tier_create", type_id=kind.pk), {"window_days": 30, "kind": "mediation"})
    assert bad.status_code == 400


def test_the_signature_sheet_is_a_pdf_for_paper_initiatives(client, collecting):
    response = client.get(_url(collecting, "sheet"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    collecting.type.signing = "online"
    collecting.type.save()
    assert client.get(_url(collecting, "sheet")).status_code == 404


def test_the_sample_outcome_is_refused_to_participants_and_public_with_a_tier_below(
    client, collecting, organization, participant, space_admin
):
    from decimal import Decimal

    from agora.components.initiatives.models import InitiativeTier

    InitiativeTier.objects.filter(initiative=collecting, position=2).update(threshold=100)
    for _ in range(3):
        services.sign(actor=person(organization), initiative=collecting)
    row = collecting.tiers.get(position=1)
    row.initiative = collecting
    services.publish_seed(actor=space_admin, row=row, percent=Decimal("100"), seed="loto-2026-03-14")
    drawn = services.draw_sample(actor=space_admin, row=row)
    outcome_url = _admin(collecting.component, "outcome", initiative_id=collecting.pk, row_id=row.pk)
    client.force_login(participant)
    assert client.post(outcome_url, {"outcome": "Rien"}).status_code == 403
    row.refresh_from_db()
    assert row.sample_checked_at is None
    signature = Signature.objects.get(pk=drawn.sample[0])
    signature.initiative = collecting
    services.strike(actor=space_admin, signature=signature, reason="Inconnue du recensement")
    client.force_login(space_admin)
    assert client.post(outcome_url, {"outcome": "Contrôle fait au recensement."}).status_code == 302
    page = client.get(_url(collecting)).content.decode()
    assert "Contrôle fait au recensement." in page and "1 of the 3 signatures drawn found invalid" in page
    assert "the count is below its threshold of 3; the tier stays reached" in page
