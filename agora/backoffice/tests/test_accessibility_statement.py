"""The accessibility statement: written by the organization's admins in the
back-office (core service), published at /accessibility/ on the RGAA model,
its status in the footer of every page."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agora.actionlog.models import ActionLog
from agora.core import services
from agora.core.models import AccessibilityStatement, AccessibilityStatus
from agora.permissions import PermissionDenied

URL = "/admin/organization/accessibility/"


def partial_values(**changes):
    values = {
        "standard": "RGAA 4.1.2",
        "audit_date": date(2026, 10, 1),
        "audited_by": "Service numérique",
        "conformance_rate": Decimal("78.5"),
        "audit_method": {"fr": "Échantillon : accueil"},
        "non_conformities": {"fr": "Carte : marqueurs hors clavier\n- PDF non balisés\n\n"},
        "derogations": {},
        "exempt_content": {"fr": "Fonds de carte"},
        "contact": {"fr": "Mairie, 1 place"},
        "plan_url": "",
        "established_on": date(2026, 10, 15),
    }
    values.update(changes)
    return values


def form_data(**changes):
    data = {
        "status": "partially_compliant",
        "standard": "RGAA 4.1.2",
        "audit_date": "2026-10-01",
        "audited_by": "Service numérique",
        "conformance_rate": "78.5",
        "plan_url": "",
        "established_on": "2026-10-15",
        "audit_method__fr": "Échantillon : accueil",
        "audit_method__en": "",
        "non_conformities__fr": "Carte : marqueurs hors clavier\nPDF non balisés",
        "non_conformities__en": "",
        "derogations__fr": "",
        "derogations__en": "",
        "exempt_content__fr": "",
        "exempt_content__en": "",
        "contact__fr": "",
        "contact__en": "",
    }
    data.update(changes)
    return data


def test_the_service_writes_the_statement_the_status_and_the_log(organization, org_admin):
    statement = services.save_accessibility_statement(
        actor=org_admin,
        organization=organization,
        status=AccessibilityStatus.PARTIALLY_COMPLIANT,
        values=partial_values(),
    )
    organization.refresh_from_db()
    assert organization.accessibility_status == "partially_compliant"
    assert statement.non_conformity_list() == ["Carte : marqueurs hors clavier", "PDF non balisés"]
    log = ActionLog.objects.get(verb="accessibility_statement.update", organization=organization)
    assert log.actor == org_admin and log.data["status"] == "partially_compliant" and "status" in log.data["fields"]


@pytest.mark.parametrize(
    "status, changes, field",
    [
        ("fully_compliant", {"conformance_rate": Decimal("96")}, "conformance_rate"),
        ("partially_compliant", {"conformance_rate": Decimal("40")}, "conformance_rate"),
        ("partially_compliant", {"audit_date": None}, "audit_date"),
        ("partially_compliant", {"audited_by": " "}, "audited_by"),
        ("partially_compliant", {"conformance_rate": None}, "conformance_rate"),
        ("compliant", {}, "status"),
    ],
)
def test_a_status_the_audit_does_not_support_is_refused(organization, org_admin, status, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.save_accessibility_statement(
            actor=org_admin, organization=organization, status=status, values=partial_values(**changes)
        )
    assert field in refused.value.message_dict
    assert not AccessibilityStatement.objects.exists()


def test_not_compliant_needs_no_audit(organization, org_admin):
    services.save_accessibility_statement(
        actor=org_admin,
        organization=organization,
        status="non_compliant",
        values={"audit_date": None, "conformance_rate": None},
    )
    assert AccessibilityStatement.objects.get(organization=organization).audit_date is None


def test_participants_and_space_admins_cannot_write_it(organization, participant, space_admin):
    for person in (participant, space_admin):
        with pytest.raises(PermissionDenied):
            services.save_accessibility_statement(
                actor=person, organization=organization, status="non_compliant", values={}
            )
    assert not AccessibilityStatement.objects.exists()


def test_org_admin_fills_it_in_the_back_office(admin_client, organization):
    assert admin_client.get(URL).status_code == 200
    response = admin_client.post(URL, form_data())
    assert response.status_code == 302
    statement = AccessibilityStatement.objects.get(organization=organization)
    assert statement.conformance_rate == Decimal("78.5") and statement.audited_by == "Service numérique"
    organization.refresh_from_db()
    assert organization.accessibility_status == "partially_compliant"


def test_the_back_office_form_says_what_is_wrong(admin_client, organization):
    response = admin_client.post(URL, form_data(status="fully_compliant"))
    assert response.status_code == 200
    assert "100" in response.content.decode() and not AccessibilityStatement.objects.exists()
    response = admin_client.post(URL, form_data(conformance_rate="140"))
    assert response.status_code == 200 and not AccessibilityStatement.objects.exists()


def test_participant_and_space_admin_are_refused_the_screen(client, participant, space_admin):
    for person in (participant, space_admin):
        client.force_login(person)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form_data()).status_code == 403
    assert not AccessibilityStatement.objects.exists()


def test_without_a_statement_the_footer_and_the_page_say_not_compliant(client, organization):
    html = client.get("/").content.decode()
    assert "Accessibilité\u00a0: non conforme" in html
    page = client.get("/accessibility/").content.decode()
    assert "non conforme" in page and "Défenseur des droits" in page
    assert "Aucun audit de conformité" in page


def test_the_public_page_follows_the_rgaa_model_in_french_and_english(client, organization, org_admin):
    services.save_accessibility_statement(
        actor=org_admin,
        organization=organization,
        status=AccessibilityStatus.PARTIALLY_COMPLIANT,
        values=partial_values(non_conformities={"fr": "Carte <script>alert(1)</script>", "en": "Map markers"}),
    )
    html = client.get("/").content.decode()
    assert "Accessibilité\u00a0: partiellement conforme" in html
    page = client.get("/accessibility/").content.decode()
    for expected in (
        "partiellement conforme",
        "78,5\u202f%",
        "Service numérique",
        "1er octobre 2026",
        "Carte &lt;script&gt;",
        "Fonds de carte",
        "Mairie, 1 place",
        "Défenseur des droits",
        "Libre réponse 71120",
    ):
        assert expected in page, expected
    assert "<script>alert" not in page
    client.cookies["agora_language"] = "en"
    assert "Accessibility: partially compliant" in client.get("/").content.decode()
    page = client.get("/accessibility/").content.decode()
    assert "partially compliant" in page and "Map markers" in page and "Legal recourse" in page
    assert "on 1 October 2026 shows that 78.5% of the criteria" in page
