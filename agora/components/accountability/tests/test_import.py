"""Import of accepted ideas (and selected budget projects) as results,
CSV import and export, and the notification of followers and voters."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agora.actionlog.models import ActionLog
from agora.components.accountability import csv_io, notifications, services
from agora.components.accountability.models import Result, Status
from agora.components.proposals.models import ProposalState
from agora.components.proposals.tests.factories import ProposalFactory, ProposalStateFactory
from agora.core.translations import tr
from agora.testing import factories

from .factories import ResultFactory, StatusFactory


@pytest.fixture
def ideas(process):
    return factories.ComponentFactory(space=process, manifest_name="proposals")


def accepted(ideas, **kwargs):
    state = ProposalStateFactory(component=ideas, meaning=ProposalState.Meaning.ACCEPTED)
    return ProposalFactory(component=ideas, published_state=state, **kwargs)


def test_accepted_ideas_become_results_once(component, space_admin, ideas, organization):
    sport = factories.CategoryFactory(organization=organization)
    idea = accepted(
        ideas,
        title="Un skatepark",
        body="<b>Près</b> du stade",
        category=sport,
        latitude=Decimal("47.1"),
        longitude=Decimal("1.9"),
        address="Stade",
    )
    ProposalFactory(component=ideas)  # not answered
    rejected = ProposalStateFactory(component=ideas, meaning=ProposalState.Meaning.REJECTED)
    ProposalFactory(component=ideas, published_state=rejected)
    working_copy_only = ProposalStateFactory(component=ideas, meaning=ProposalState.Meaning.ACCEPTED)
    ProposalFactory(component=ideas, state=working_copy_only)  # answer not published yet
    status = StatusFactory(component=component, progress=10)

    created = services.import_proposals(actor=space_admin, component=component, source=ideas, status=status)
    assert len(created) == 1
    result = created[0]
    assert result.title == {"fr": "Un skatepark", "en": "Un skatepark"}
    assert "&lt;b&gt;Près&lt;/b&gt;" in result.description["fr"]  # plain text stays text
    assert (result.category, result.latitude, result.address) == (sport, Decimal("47.1"), "Stade")
    assert result.progress == Decimal("10.00") and result.status == status
    # The link both ways.
    assert list(result.proposals.all()) == [idea] and list(idea.follow_up.all()) == [result]
    assert ActionLog.objects.filter(verb="accountability.imported", component=component).exists()
    # Importing again creates nothing.
    assert services.import_proposals(actor=space_admin, component=component, source=ideas) == []


def test_import_from_the_backoffice(client, component, space_admin, ideas):
    accepted(ideas)
    accepted(ideas)
    client.force_login(space_admin)
    from django.urls import reverse

    url = reverse("accountability_admin:import", kwargs={"space_id": component.space_id, "component_id": component.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "proposals", "proposals-source": ideas.pk, "proposals-status": ""})
    assert response.status_code == 302
    assert Result.objects.filter(component=component).count() == 2


def test_a_source_of_another_organization_is_refused(component, space_admin, other_organization):
    foreign = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=other_organization), manifest_name="proposals"
    )
    with pytest.raises(ValidationError, match="composant de cette organisation"):
        services.import_proposals(actor=space_admin, component=component, source=foreign)
    assert not Result.objects.filter(component=component).exists()


def test_selected_projects_become_results_linked_to_project_and_ideas(component, space_admin, process, ideas):
    from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory, publish_winners

    budgets = factories.ComponentFactory(space=process, manifest_name="budgets")
    budget = BudgetFactory(component=budgets)
    idea = ProposalFactory(component=ideas)
    winner = ProjectFactory(budget=budget, title=tr("Jardin", "Garden"))
    winner.proposals.add(idea)
    ProjectFactory(budget=budget)
    publish_winners(budget, [winner])
    created = services.import_projects(actor=space_admin, component=component, source=budgets)
    assert len(created) == 1
    result = created[0]
    assert result.title == {"fr": "Jardin", "en": "Garden"}
    assert list(result.projects.all()) == [winner] and list(winner.follow_up.all()) == [result]
    assert list(result.proposals.all()) == [idea]
    assert services.import_projects(actor=space_admin, component=component, source=budgets) == []


# --- CSV ----------------------------------------------------------------------------


def test_csv_export_then_import_updates_in_place(component, space_admin, organization):
    scope = factories.ScopeFactory(organization=organization, code="N1")
    StatusFactory(component=component, token="fait", progress=100)
    parent = ResultFactory(component=component, title=tr("Parent"))
    child = ResultFactory(component=component, parent=parent, title=tr("Enfant"), scope=scope)
    text = csv_io.export_csv(component)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0])[:3] == ["id", "reference", "parent_reference"]
    assert [row["id"] for row in rows] == [str(parent.pk), str(child.pk)]
    rows[1].update(title_fr="Enfant modifié", status="fait", progress="")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    edited = buffer.getvalue()
    report = csv_io.import_csv(actor=space_admin, component=component, data=edited)
    assert (report.created, report.updated) == (0, 2)
    child.refresh_from_db()
    parent.refresh_from_db()
    assert child.title["fr"] == "Enfant modifié" and child.parent_id == parent.pk and child.scope == scope
    assert child.status.token == "fait" and child.progress == Decimal("100.00")
    assert parent.progress == Decimal("100.00")


def test_csv_import_is_all_or_nothing_with_line_numbers(component, space_admin):
    data = (
        "reference,parent_reference,title_fr,title_en,status,progress,start_date,end_date,scope_code,latitude\n"
        "A,,Bon,,,,2025-01-01,2025-02-01,,\n"
        "B,,,,inconnu,150,2025-13-01,,ZZ,95\n"
        "A,,Doublon,,,,,,,\n"
        "C,X,Orphelin,,,,,,,\n"
    )
    with pytest.raises(csv_io.ResultImportError) as error, translation.override("en"):
        csv_io.import_csv(actor=space_admin, component=component, data=data)
    lines = {line for line, _reason in error.value.errors}
    assert lines == {3, 4, 5}
    reasons = dict(error.value.errors)
    for fragment in ("title", "status", "progress", "date", "scope", "latitude"):
        assert fragment in reasons[3], fragment
    assert not Result.objects.exists()


def test_csv_import_refuses_loops_and_bad_encoding(component, space_admin):
    with pytest.raises(csv_io.ResultImportError):
        csv_io.import_csv(
            actor=space_admin,
            component=component,
            data="reference,parent_reference,title_fr,title_en\nA,B,a,\nB,A,b,\n",
        )
    with pytest.raises(csv_io.ResultImportError):
        csv_io.import_csv(
            actor=space_admin, component=component, data="reference,title_fr,title_en\nA,é,\n".encode("latin-1")
        )
    with pytest.raises(csv_io.ResultImportError):
        csv_io.import_csv(actor=space_admin, component=component, data="titre\nA\n")
    assert not Result.objects.exists()


@pytest.mark.parametrize("value", ["=1+1", "+33 6", "-A", "@SUM(A1)", "\t=x"])
def test_formulas_are_neutralised_in_the_export(value):
    assert csv_io.safe_cell(value).startswith("'")


def test_numbers_stay_numbers_in_the_export():
    assert csv_io.safe_cell("-1.5") == "-1.5" and csv_io.safe_cell("12") == "12"


# --- notifications ------------------------------------------------------------------


def test_followers_of_the_ideas_hear_of_a_status_change(component, space_admin, ideas, participant):
    from django.contrib.contenttypes.models import ContentType

    from agora.follows.models import Follow
    from agora.notifications.models import Notification

    idea = ProposalFactory(component=ideas)
    Follow.objects.create(user=participant, content_type=ContentType.objects.get_for_model(idea), object_id=idea.pk)
    Follow.objects.create(user=space_admin, content_type=ContentType.objects.get_for_model(idea), object_id=idea.pk)
    works = Status.objects.create(component=component, token="travaux", name=tr("Travaux", "Works"), progress=50)
    result = ResultFactory(component=component)
    result.proposals.add(idea)
    assert notifications.recipients_for([result.pk], exclude=[space_admin.pk]) == {participant.pk}
    services.bulk_change_status(actor=space_admin, component=component, results=[result], status=works)
    notification = Notification.objects.get(event=notifications.EVENT)
    assert notification.recipient == participant  # not the officer who made the change
    assert "Travaux" in notification.message
    # No change of status, no notification.
    services.update_result(actor=space_admin, result=Result.objects.get(pk=result.pk), title=tr("R"), status=works)
    assert Notification.objects.filter(event=notifications.EVENT).count() == 1


def test_voters_of_a_project_hear_of_a_status_change(component, space_admin, process, participant):
    from agora.components.budgets.models import Ballot, Choice
    from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
    from agora.notifications.models import Notification

    budget = BudgetFactory(component=factories.ComponentFactory(space=process, manifest_name="budgets"))
    project = ProjectFactory(budget=budget)
    ballot = Ballot.objects.create(budget=budget, voter=participant)
    Choice.objects.create(ballot=ballot, project=project)
    result = ResultFactory(component=component)
    result.projects.add(project)
    works = StatusFactory(component=component)
    services.bulk_change_status(actor=space_admin, component=component, results=[result], status=works)
    assert Notification.objects.filter(event=notifications.EVENT, recipient=participant).exists()
