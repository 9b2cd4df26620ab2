"""CSV import of answers (all or nothing, preview), exports (public vs staff,
formula injection), states / fields / criteria screens."""

import csv
import hashlib
import io
import json

import openpyxl
import pytest

from agora.actionlog.models import ActionLog
from agora.components.proposals.evaluation import exports, services
from agora.components.proposals.evaluation.models import AnswerImport, Criterion
from agora.components.proposals.models import CustomField, Proposal, ProposalState
from agora.core.csvfiles import safe_cell

from .factories import FieldFactory, IdeaFactory, StateFactory, admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(component):
    return [IdeaFactory(component=component, reference=f"REF-{n}") for n in range(3)]


def _upload(client, component, text, name="answers.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        admin_url(component, "import"),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


def test_a_bad_file_lists_every_wrong_line_and_changes_nothing(client, component, admin, ideas):
    StateFactory(component=component, token="retenu")
    draft = IdeaFactory(component=component, status=Proposal.Status.DRAFT, published_at=None)
    text = (
        "id;reference;state;answer_fr;answer_en;publish\n"
        f"{ideas[0].pk};;retenu;Oui;Yes;oui\n"  # line 2: fine
        f"{ideas[1].pk};;inconnu;Non;No;non\n"  # line 3: unknown state
        f";REF-404;retenu;;;oui\n"  # line 4: unknown reference
        f"{ideas[0].pk};;retenu;;;peut-être\n"  # line 5: repeated idea, bad publish
        f"{draft.pk};;;x;;non\n"  # line 6: a draft
    )
    client.force_login(admin)
    response = _upload(client, component, text)
    assert response.status_code == 400
    with pytest.raises(services.AnswerImportError) as refusal:
        services.plan_answer_import(component, text)
    lines = [line for line, _reason in refusal.value.errors]
    assert lines == [3, 4, 5, 6]
    assert "inconnu" in dict(refusal.value.errors)[3]
    for line in (3, 4, 5, 6):
        assert f">{line}<" in response.text or f" {line}<" in response.text
    assert not AnswerImport.objects.exists()
    assert not Proposal.objects.filter(state__isnull=False).exists()


def test_a_good_file_is_previewed_then_applied_all_at_once(client, component, admin, ideas):
    retenu = StateFactory(component=component, token="retenu")
    text = (
        "reference,state,answer_fr,answer_en,publish\n"
        "REF-0,retenu,Retenue pour le vote,Selected for the vote,yes\n"
        "REF-1,retenu,,,no\n"
    )
    client.force_login(admin)
    response = _upload(client, component, text)
    assert response.status_code == 302
    stored = AnswerImport.objects.get()
    assert stored.sha256 == hashlib.sha256(text.encode()).hexdigest()
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and ideas[0].title in preview.text
    assert not Proposal.objects.filter(state__isnull=False).exists()  # nothing before confirmation
    assert client.post(response["Location"]).status_code == 302
    first, second = Proposal.objects.get(pk=ideas[0].pk), Proposal.objects.get(pk=ideas[1].pk)
    assert first.published_state == retenu and first.published_answer["en"] == "<p>Selected for the vote</p>"
    assert second.state == retenu and second.published_state is None
    log = ActionLog.objects.get(verb="proposal.answers_import")
    assert log.actor == admin and log.data["sha256"] == stored.sha256 and log.data["rows"] == 2
    # Applying twice is refused.
    client.post(response["Location"])
    assert ActionLog.objects.filter(verb="proposal.answers_import").count() == 1


def test_the_apply_step_checks_again_and_is_all_or_nothing(component, admin, ideas):
    state = StateFactory(component=component, token="retenu")
    stored, _plan = services.upload_answer_import(
        actor=admin,
        component=component,
        data=f"id,state,publish\n{ideas[0].pk},retenu,yes\n{ideas[1].pk},retenu,yes\n".encode(),
    )
    # The state is renamed between the preview and the confirmation.
    state.token = "adopte"
    state.save()
    with pytest.raises(services.AnswerImportError) as refusal:
        services.apply_answer_import(actor=admin, answer_import=stored)
    assert [line for line, _ in refusal.value.errors] == [2, 3]
    assert not Proposal.objects.filter(state__isnull=False).exists()


def test_a_file_not_in_utf8_or_without_columns_is_refused(component):
    with pytest.raises(services.AnswerImportError):
        services.plan_answer_import(component, "état;réponse\n".encode("latin-1"))
    with pytest.raises(services.AnswerImportError) as refusal:
        services.plan_answer_import(component, "title,state\nx,y\n")
    assert refusal.value.errors[0][0] == 1


# --- exports ----------------------------------------------------------------------------


@pytest.fixture
def exported(component):
    secret = FieldFactory(component=component, key="telephone", confidential=True)
    public = FieldFactory(component=component, key="quartier")
    state = StateFactory(component=component, token="retenu")
    idea = IdeaFactory(
        component=component,
        title='=HYPERLINK("http://evil")',
        custom_values={secret.key: "06 12 34 56 78", public.key: "Centre"},
    )
    idea.state = state  # working copy only: not public
    idea.answer = {"fr": "<p>Réponse interne</p>"}
    idea.save()
    IdeaFactory(component=component, status=Proposal.Status.DRAFT, published_at=None, title="Brouillon secret")
    return idea


def test_public_exports_never_carry_confidential_data_emails_or_drafts(component, exported):
    for export_format in ("csv", "json", "xlsx"):
        response = getattr(exports, f"public_{export_format}")(component)
        assert response.status_code == 200
        if export_format == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
        else:
            text = response.content.decode("utf-8")
        assert "06 12 34 56 78" not in text and "telephone" not in text
        assert exported.author.email not in text
        assert "Brouillon secret" not in text
        assert "Réponse interne" not in text
        assert "Centre" in text and "quartier" in text


def test_staff_exports_carry_confidential_fields_and_say_so(client, component, admin, exported):
    client.force_login(admin)
    response = client.get(admin_url(component, "export_json"))
    assert response.status_code == 200
    assert "staff-confidential" in response["Content-Disposition"]
    payload = json.loads(response.content)
    assert payload["confidential"] is True and payload["notice"]
    record = payload["ideas"][0]
    assert record["telephone (confidential)"] == "06 12 34 56 78"
    assert record["author_email (confidential)"] == exported.author.email
    assert all(r["title"] != "Brouillon secret" for r in payload["ideas"])
    assert ActionLog.objects.filter(verb="proposal.export_staff", actor=admin).count() == 1
    csv_text = client.get(admin_url(component, "export_csv")).content.decode("utf-8-sig")
    assert "telephone (confidential)" in csv_text.splitlines()[0]


def test_csv_and_xlsx_cells_never_run_as_formulas(client, component, admin, exported):
    rows = list(csv.reader(io.StringIO(exports.public_csv(component).content.decode("utf-8-sig"))))
    title_column = rows[0].index("title")
    assert rows[1][title_column] == '\'=HYPERLINK("http://evil")'
    client.force_login(admin)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(admin_url(component, "export_xlsx")).content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    value = sheet.cell(row=2, column=header.index("title") + 1).value
    assert value.startswith("'=") and sheet.cell(row=2, column=header.index("title") + 1).data_type == "s"
    for prefix in ("+", "-", "@", "\t"):
        assert safe_cell(prefix + "A1").startswith("'")
    assert safe_cell(-3) == -3 and safe_cell("Bonjour") == "Bonjour"


# --- states, custom fields, criteria screens -------------------------------------------


def test_the_states_screen_seeds_defaults_and_defines_states(client, component, admin):
    client.force_login(admin)
    response = client.get(admin_url(component, "states"))
    assert response.status_code == 200
    assert ProposalState.objects.filter(component=component).count() == 5
    response = client.post(
        admin_url(component, "state_create"),
        {
            "token": "reporte",
            "name__fr": "Reporté",
            "name__en": "Postponed",
            "colour": "#ffcc00",
            "meaning": "none",
        },
    )
    assert response.status_code == 302
    state = ProposalState.objects.get(component=component, token="reporte")
    assert state.colour == "#ffcc00" and state.weight == 6
    assert ActionLog.objects.filter(verb="proposal_state.create").exists()
    response = client.post(
        admin_url(component, "state_create"),
        {
            "token": "reporte",
            "name__fr": "Encore",
            "colour": "rouge",
            "meaning": "none",
        },
    )
    assert response.status_code == 400 and 'value="Encore"' in response.text
    client.post(admin_url(component, "state_move", proposalstate_id=state.pk), {"direction": "up"})
    state.refresh_from_db()
    assert state.weight == 5


def test_a_state_in_public_use_cannot_be_deleted(client, component, admin):
    state = StateFactory(component=component)
    IdeaFactory(component=component, state=state, published_state=state)
    client.force_login(admin)
    response = client.post(admin_url(component, "state_delete", proposalstate_id=state.pk))
    assert response.status_code == 400
    assert ProposalState.objects.filter(pk=state.pk).exists()


def test_custom_fields_screen(client, component, admin):
    client.force_login(admin)
    url = admin_url(component, "field_create")
    response = client.post(url, {"key": "mode", "label__fr": "Mode", "kind": "choice", "choices_text": ""})
    assert response.status_code == 400
    assert 'aria-describedby="id_choices_text_helptext id_choices_text_error"' in response.text
    response = client.post(
        url,
        {
            "key": "mode",
            "label__fr": "Mode",
            "kind": "choice",
            "required": "on",
            "confidential": "on",
            "choices_text": "velo | Vélo | Bike\nbus | Bus",
        },
    )
    assert response.status_code == 302
    field = CustomField.objects.get(component=component, key="mode")
    assert field.choices == [
        {"value": "velo", "label": {"fr": "Vélo", "en": "Bike"}},
        {"value": "bus", "label": {"fr": "Bus"}},
    ]
    assert field.required and field.confidential
    other = FieldFactory(component=component, weight=5)
    client.post(admin_url(component, "field_move", customfield_id=other.pk), {"direction": "up"})
    assert list(CustomField.objects.filter(component=component).values_list("pk", flat=True)) == [other.pk, field.pk]
    assert client.post(admin_url(component, "field_delete", customfield_id=field.pk)).status_code == 302
    assert not CustomField.objects.filter(pk=field.pk).exists()


def test_criteria_screen(client, component, admin):
    client.force_login(admin)
    response = client.post(
        admin_url(component, "criterion_create"), {"label__fr": "Coût", "label__en": "Cost", "kind": "cost"}
    )
    assert response.status_code == 302
    criterion = Criterion.objects.get(component=component)
    assert criterion.kind == "cost"
    assert ActionLog.objects.filter(verb="evaluation_criterion.create").exists()


def test_exports_count_the_comments_of_each_idea(component, exported):
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from agora.comments.models import Comment

    about_it = {
        "content_type": ContentType.objects.get_for_model(Proposal),
        "object_id": exported.pk,
        "organization": component.space.organization,
        "author": exported.author,
    }
    Comment.objects.create(body="Bonne idée", **about_it)
    Comment.objects.create(body="Oui", **about_it)
    Comment.objects.create(body="effacé", deleted_at=timezone.now(), **about_it)
    rows = json.loads(exports.public_json(component).content)
    rows = rows if isinstance(rows, list) else next(v for v in rows.values() if isinstance(v, list))
    assert [row["comments"] for row in rows if row["id"] == exported.pk] == [2]
