"""The registration form of a meeting (agora.questionnaires): built by the
officers, asked to each person who registers, the answers kept with the place."""

import pytest
from django.urls import reverse

from agora.components.meetings import services
from agora.components.meetings.models import Registration
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires import services as questionnaire_services


def url(component, name, **kwargs):
    return reverse(f"meetings:{name}", kwargs={**component.url_kwargs(), **kwargs})


def admin_url(component, name, **kwargs):
    return reverse(
        f"meetings_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


@pytest.fixture
def diet(meeting, org_admin):
    services.registration_form(actor=org_admin, meeting=meeting)
    return questionnaire_services.add_question(
        actor=org_admin,
        questionnaire=meeting.questionnaire,
        kind="short_text",
        fields={"title": tr("Régime alimentaire"), "mandatory": True},
    )


def test_the_officers_build_the_form_from_the_meeting(client, component, meeting, org_admin):
    client.force_login(org_admin)
    response = client.get(admin_url(component, "form_questions", meeting_id=meeting.pk))
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.questionnaire is not None and meeting.questionnaire.owner_type == "meetings.meeting"


def test_participants_cannot_open_the_form_builder(client, component, meeting, participant):
    client.force_login(participant)
    assert client.get(admin_url(component, "form_questions", meeting_id=meeting.pk)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.registration_form(actor=participant, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.questionnaire is None


def test_registering_answers_the_form(client, component, meeting, participant, diet):
    client.force_login(participant)
    page = client.get(url(component, "register", meeting_id=meeting.pk))
    assert page.status_code == 200 and "Régime alimentaire" in page.content.decode()
    missing = client.post(url(component, "register", meeting_id=meeting.pk), {"page": "0", "go": "submit"})
    assert missing.status_code == 400 and not Registration.objects.exists()
    response = client.post(
        url(component, "register", meeting_id=meeting.pk), {"page": "0", "go": "submit", f"q{diet.pk}": "Végétarien"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=meeting, user=participant)
    assert registration.answer_set is not None
    values = questionnaire_selectors.values_of(registration.answer_set, [diet])
    assert values == {diet.pk: "Végétarien"}


def test_the_meeting_page_links_to_the_form(client, component, meeting, participant, diet):
    client.force_login(participant)
    html = client.get(url(component, "detail", meeting_id=meeting.pk)).content.decode()
    assert f'href="{url(component, "register", meeting_id=meeting.pk)}"' in html


def test_the_registrations_csv_has_the_answers_for_the_staff_only(
    client, component, meeting, participant, org_admin, diet, organization
):
    from agora.components.meetings.tests.conftest import person

    services.register(actor=participant, meeting=meeting, values={diet.pk: "Végétarien"})
    choice = questionnaire_services.add_question(
        actor=org_admin,
        questionnaire=meeting.questionnaire,
        kind="multiple",
        fields={"title": tr("Ateliers")},
        options=[(None, tr("Vélo")), (None, tr("Parcs"))],
    )
    later = person(organization)
    options = {str(option.label["fr"]): option.pk for option in choice.options.all()}
    services.register(
        actor=later, meeting=meeting, values={diet.pk: "Sans gluten", choice.pk: {"options": [options["Parcs"]]}}
    )
    csv_url = admin_url(component, "registrations_csv", meeting_id=meeting.pk)
    client.force_login(participant)
    assert client.get(csv_url).status_code == 403
    client.force_login(org_admin)
    response = client.get(csv_url)
    assert response.status_code == 200
    lines = [line.split(",") for line in response.content.decode().splitlines()]
    assert lines[0][7:] == ["Q1 Régime alimentaire", "Q2 Ateliers — Vélo", "Q2 Ateliers — Parcs"]
    rows = {line[3]: line[7:] for line in lines[1:]}
    assert rows[participant.email] == ["Végétarien", "", ""]
    assert rows[later.email] == ["Sans gluten", "0", "1"]


def test_the_answers_go_with_the_account_and_the_registration_stays(client, component, meeting, participant, diet):
    from agora.accounts.services import delete_account
    from agora.questionnaires.models import Answer, AnswerSet

    client.force_login(participant)
    client.post(
        url(component, "register", meeting_id=meeting.pk), {"page": "0", "go": "submit", f"q{diet.pk}": "Sans gluten"}
    )
    registration = Registration.objects.get(meeting=meeting, user=participant)
    assert Answer.objects.filter(answer_set=registration.answer_set).exists()
    delete_account(user=participant)
    registration.refresh_from_db()
    assert registration.answer_set is None and registration.status == Registration.Status.CONFIRMED
    assert not AnswerSet.objects.filter(questionnaire=meeting.questionnaire).exists()
    assert not Answer.objects.filter(text__icontains="gluten").exists()


BUILDER_SCREENS = [  # name, the question or template it is about, what a GET of the manager answers
    ("form_questions", None, 200),
    ("form_question_new", None, 200),
    ("form_question_edit", "question", 200),
    ("form_question_delete", "question", 200),
    ("form_question_move", "question", 405),
    ("form_question_duplicate", "question", 405),
    ("form_question_conditions", "question", 200),
    ("form_copy", None, 200),
    ("form_save_template", None, 200),
    ("form_templates", None, 200),
    ("form_template_delete", "template", 200),
]


@pytest.mark.parametrize("name, about, status", BUILDER_SCREENS)
def test_every_builder_screen_is_the_managers_only(
    client, component, meeting, participant, org_admin, diet, name, about, status
):
    template = questionnaire_services.save_as_template(
        actor=org_admin, source=meeting.questionnaire, title={"fr": "Inscriptions"}
    )
    extra = {"question": {"question_id": diet.pk}, "template": {"template_id": template.pk}}.get(about, {})
    address = admin_url(component, name, meeting_id=meeting.pk, **extra)
    client.force_login(participant)
    assert client.get(address).status_code == 403
    assert client.post(address).status_code == 403
    client.force_login(org_admin)
    response = client.get(address)
    assert response.status_code == status
    if status == 200:  # the page is the meeting's: its links stay under the meeting
        assert response.context["meeting"] == meeting
        assert admin_url(component, "form_questions", meeting_id=meeting.pk) in response.content.decode()


def test_the_builder_moves_and_duplicates_within_the_meetings_form(client, component, meeting, org_admin, diet):
    client.force_login(org_admin)
    response = client.post(admin_url(component, "form_question_duplicate", meeting_id=meeting.pk, question_id=diet.pk))
    copy = questionnaire_selectors.questions_of(meeting.questionnaire)[-1]
    assert copy.pk != diet.pk
    assert response["Location"] == admin_url(
        component, "form_question_edit", meeting_id=meeting.pk, question_id=copy.pk
    )
    moved = client.post(
        admin_url(component, "form_question_move", meeting_id=meeting.pk, question_id=copy.pk), {"direction": "up"}
    )
    assert moved["Location"] == admin_url(component, "form_questions", meeting_id=meeting.pk) + f"#question-{copy.pk}"
    assert [q.pk for q in questionnaire_selectors.questions_of(meeting.questionnaire)] == [copy.pk, diet.pk]
