"""Extra signer fields of a kind of initiative (agora.questionnaires): built by the
officers, asked to each person who signs online, the answers kept with the
signature for the staff alone and erased with the account."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agora.accounts import services as accounts_services
from agora.components.initiatives import hooks, services
from agora.components.initiatives.models import Initiative, Signature
from agora.components.initiatives.tests.conftest import person
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires import services as questionnaire_services
from agora.questionnaires.models import AnswerSet
from agora.questionnaires.services import AnswersRefused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    client.cookies["agora_language"] = "en"


def _url(initiative, name="detail"):
    return reverse(f"initiatives:{name}", kwargs={**initiative.component.url_kwargs(), "initiative_id": initiative.pk})


def _admin(component, name, **extra):
    return reverse(
        f"initiatives_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **extra}
    )


@pytest.fixture
def district(kind, org_admin):
    services.signer_form(actor=org_admin, initiative_type=kind)
    return questionnaire_services.add_question(
        actor=org_admin,
        questionnaire=kind.questionnaire,
        kind="short_text",
        fields={"title": tr("Quartier de résidence"), "mandatory": True},
    )


def test_the_officers_build_the_fields_from_the_type(client, component, kind, org_admin):
    client.force_login(org_admin)
    response = client.get(_admin(component, "form_questions", type_id=kind.pk))
    assert response.status_code == 200
    kind.refresh_from_db()
    assert kind.questionnaire is not None and kind.questionnaire.owner_type == "initiatives.type"
    assert client.get(_admin(component, "index")).status_code == 200


def test_participants_cannot_open_the_fields_builder(client, component, kind, participant):
    client.force_login(participant)
    assert client.get(_admin(component, "form_questions", type_id=kind.pk)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.signer_form(actor=participant, initiative_type=kind)
    kind.refresh_from_db()
    assert kind.questionnaire is None


def test_signing_answers_the_fields_in_the_same_transaction(client, collecting, organization, district):
    signer = person(organization)
    client.force_login(signer)
    detail = client.get(_url(collecting)).content.decode()
    assert f'href="{_url(collecting, "sign_form")}"' in detail
    page = client.get(_url(collecting, "sign_form"))
    assert page.status_code == 200 and "Quartier de résidence" in page.content.decode()
    # Mandatory: refused, the page again with the message, nothing saved.
    missing = client.post(_url(collecting, "sign_form"), {"page": "0", "go": "submit"})
    assert missing.status_code == 400 and "Quartier de résidence" in missing.content.decode()
    assert not Signature.objects.exists() and not AnswerSet.objects.exists()
    # The button of the initiative's page, bypassing the fields: sent to them, nothing saved.
    bypass = client.post(_url(collecting, "sign"))
    assert bypass.status_code == 302 and bypass["Location"] == _url(collecting, "sign_form")
    assert not Signature.objects.exists()
    collecting.refresh_from_db()
    assert collecting.signature_count == 0
    response = client.post(
        _url(collecting, "sign_form"), {"page": "0", "go": "submit", f"q{district.pk}": "Berriat", "public": "on"}
    )
    assert response.status_code == 302
    signature = Signature.objects.get(user=signer)
    assert signature.public and signature.answer_set is not None
    assert questionnaire_selectors.values_of(signature.answer_set, [district]) == {district.pk: "Berriat"}
    collecting.refresh_from_db()
    assert collecting.signature_count == 1


def test_a_second_signature_keeps_no_answers(collecting, organization, district):
    signer = person(organization)
    services.sign(actor=signer, initiative=collecting, values={district.pk: "Berriat"})
    with pytest.raises(PermissionDenied):
        services.sign(actor=signer, initiative=collecting, values={district.pk: "Vigny-Musset"})
    assert AnswerSet.objects.count() == 1 and Signature.objects.count() == 1
    with pytest.raises(AnswersRefused):
        services.sign(actor=person(organization), initiative=collecting, values={})
    assert AnswerSet.objects.count() == 1 and Signature.objects.count() == 1


def test_no_fields_no_query_more(collecting, organization):
    """The hot path: a type that asks nothing costs no query for the fields."""
    signer = person(organization)
    with CaptureQueriesContext(connection) as queries:
        services.sign(actor=signer, initiative=collecting)
    assert not any("questionnaires_" in query["sql"] for query in queries.captured_queries)
    assert Signature.objects.get(user=signer).answer_set is None


def test_the_answers_are_for_the_staff_only(client, collecting, organization, org_admin, district):
    signer = person(organization)
    services.sign(actor=signer, initiative=collecting, values={district.pk: "Berriat-Secret"}, public=True)
    csv_url = _admin(collecting.component, "signatures_csv", initiative_id=collecting.pk)
    # The public and a participant (the signer too) are refused the export.
    assert client.get(csv_url).status_code in (302, 403)
    client.force_login(signer)
    assert client.get(csv_url).status_code == 403
    # Never on the public pages, nor in the component's export or open data.
    for url in (_url(collecting), collecting.component.get_absolute_url()):
        assert "Berriat-Secret" not in client.get(url).content.decode()
    exported = hooks.export_csv(collecting.component).content.decode()
    assert "Berriat-Secret" not in exported
    client.force_login(org_admin)
    response = client.get(csv_url)
    assert response.status_code == 200
    lines = [line.split(",") for line in response.content.decode().splitlines()]
    assert lines[0][8:] == ["Q1 Quartier de résidence"]
    rows = {line[3]: line[8:] for line in lines[1:]}
    assert rows[signer.email] == ["Berriat-Secret"]


def test_the_answers_go_with_the_account_and_the_withdrawal(collecting, organization, district):
    leaving = person(organization)
    staying = person(organization)
    services.sign(actor=leaving, initiative=collecting, values={district.pk: "Berriat"})
    services.sign(actor=staying, initiative=collecting, values={district.pk: "Capuche"})
    accounts_services.delete_account(user=leaving)
    kept = Signature.objects.get(initiative=collecting, user=leaving)
    assert kept.answer_set is None  # the signature is still counted, the answers are gone
    assert AnswerSet.objects.count() == 1
    assert Initiative.objects.get(pk=collecting.pk).signature_count == 2
    services.withdraw(actor=staying, initiative=collecting)
    assert not AnswerSet.objects.exists()


def test_my_data_has_my_answers(collecting, organization, district):
    signer = person(organization)
    services.sign(actor=signer, initiative=collecting, values={district.pk: "Berriat"})
    sections = dict(hooks.personal_data(signer))
    answers = list(sections["signer_answers"])
    assert answers == [{"initiative_id": collecting.pk, "question": "Q1 Quartier de résidence", "answer": "Berriat"}]
