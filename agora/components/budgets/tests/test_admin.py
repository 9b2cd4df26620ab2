import hashlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agora.accounts.services import delete_account
from agora.actionlog.models import ActionLog
from agora.components.budgets import counting, selectors, services
from agora.components.budgets.models import Ballot, Budget, PaperCount, Project
from agora.components.budgets.tests.conftest import close_votes
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.permissions import PermissionDenied
from agora.tally import pabulib
from agora.testing import factories


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"budgets_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def csv_file(text, name="bureau.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def vote_all(budget, projects, people, pattern):
    for person, picks in zip(people, pattern):
        services.cast_ballot(actor=person, budget=budget, choices={projects[i].pk: 1 for i in picks})


# --- paper ballots -------------------------------------------------------------------


def test_staff_enter_a_paper_ballot_checked_by_the_same_rule(client, space_admin, component, budget, projects):
    client.force_login(space_admin)
    url = admin_url(component, "paper", budget_id=budget.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reference": "Bureau 3", "project": [p.pk for p in projects[:4]]})
    assert response.status_code == 200 and not Ballot.objects.exists()
    response = client.post(url, {"reference": "Bureau 3", "project": [projects[0].pk]})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.channel == "paper" and ballot.voter is None and ballot.reference == "Bureau 3"
    projects[0].refresh_from_db()
    assert projects[0].votes_paper == 1 and projects[0].votes_online == 0
    assert ActionLog.objects.filter(verb="budgets.paper_ballot_entered", actor=space_admin).exists()


def test_a_paper_ballot_with_identity_blocks_the_online_vote(space_admin, participant, budget, projects):
    services.enter_paper_ballot(
        actor=space_admin, budget=budget, choices={projects[0].pk: 1}, reference="Mairie", voter=participant
    )
    with pytest.raises(services.BallotRefused):
        services.cast_ballot(actor=participant, budget=budget, choices={projects[1].pk: 1})
    assert Ballot.objects.count() == 1


def test_csv_import_is_all_or_nothing_with_line_numbers(space_admin, budget, projects):
    bad = f"station,project,votes\nB1,{projects[0].pk},12\nB1,999,3\nB2,{projects[1].pk},x\n"
    with pytest.raises(services.ImportFailed) as failed:
        services.import_paper_counts(actor=space_admin, budget=budget, upload=csv_file(bad))
    assert any(e.startswith("Line 3") or e.startswith("Ligne 3") for e in failed.value.errors)
    assert any("4" in e for e in failed.value.errors)
    assert not PaperCount.objects.exists()
    good = f"station;project;votes\nB1;{projects[0].pk};12\nB2;{projects[0].pk};3\nB2;{projects[1].pk};5\n"
    paper_import = services.import_paper_counts(actor=space_admin, budget=budget, upload=csv_file(good))
    assert paper_import.sha256 == hashlib.sha256(good.encode()).hexdigest()
    projects[0].refresh_from_db()
    assert projects[0].votes_paper == 15
    log = ActionLog.objects.get(verb="budgets.paper_counts_imported")
    assert log.actor == space_admin and log.data["sha256"] == paper_import.sha256
    assert selectors.integrity_problems(budget) == []
    # The same station twice is refused.
    with pytest.raises(services.ImportFailed):
        services.import_paper_counts(actor=space_admin, budget=budget, upload=csv_file(good))


def test_csv_import_through_the_page_shows_errors(client, space_admin, component, budget, projects):
    client.force_login(space_admin)
    url = admin_url(component, "paper_import", budget_id=budget.pk)
    response = client.post(url, {"file": csv_file("nonsense\n")})
    assert response.status_code == 200 and "station, project, votes" in response.content.decode()


# --- counting and results ---------------------------------------------------------------


def test_preview_then_confirm_then_publish(client, space_admin, component, budget, projects, voters):
    people = voters(5)
    vote_all(budget, projects, people, [(0, 1), (0, 2), (0,), (1, 3), (4,)])
    client.force_login(space_admin)
    url = admin_url(component, "results", budget_id=budget.pk)
    confirm = admin_url(component, "results_publish", budget_id=budget.pk)
    assert client.get(url).status_code == 200
    # Not while the vote is open: the confirmation page says so and has no button.
    page = client.get(confirm)
    assert page.status_code == 200 and 'name="expected"' not in page.content.decode()
    assert client.post(confirm, {"expected": ""}).status_code == 400
    budget.refresh_from_db()
    assert not budget.results_published
    close_votes(component)
    # The old button of the results page leads to the confirmation, never publishes.
    assert client.post(url, {"publish": "1"})["Location"] == confirm
    page = client.get(confirm)
    winners = [str(projects[i].pk) for i in (0, 1, 3)]
    assert page.status_code == 200 and f'value="{",".join(winners)}"' in page.content.decode()
    response = client.post(confirm, {"expected": ",".join(winners)})
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.results_published
    # Greedy: 0 (3 votes, 50k), 1 (2 votes, 30k), then 2, 3 and 4 tie at 1 vote: the published
    # rule takes the cheapest first, 3 (10k); 2 (20k) and 4 (60k) no longer fit.
    assert budget.result["selected"] == winners
    assert budget.winner_ids() == [projects[i].pk for i in (0, 1, 3)]
    log = ActionLog.objects.get(verb="budgets.results_published")
    assert log.visibility == ActionLog.Visibility.PUBLIC and log.data["added"] == winners
    page = client.get(budget.get_results_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "<table" in html and 'scope="row"' in html and "budget-envelope-line" in html


def test_results_page_is_hidden_until_published(client, budget, projects):
    assert client.get(budget.get_results_url()).status_code == 404


def test_counting_method_is_locked_once_voting_started(space_admin, participant, budget, projects):
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})
    budget.refresh_from_db()
    budget.method = Budget.Method.MES
    with pytest.raises(ValidationError):
        services.save_budget(actor=space_admin, budget=budget)


def test_export_then_recount_gives_the_published_result(
    client, space_admin, component, budget, projects, voters, tmp_path
):
    from agora.tally import pabulib

    people = voters(6)
    vote_all(budget, projects, people, [(0, 1), (1, 2), (1,), (3, 2), (4,), (2, 3)])
    services.enter_paper_ballot(actor=space_admin, budget=budget, choices={projects[3].pk: 1}, reference="B1")
    services.import_paper_counts(
        actor=space_admin, budget=budget, upload=csv_file(f"station,project,votes\nB2,{projects[4].pk},2\n")
    )
    close_votes(component)
    services.publish_results(actor=space_admin, budget=budget)
    budget.refresh_from_db()
    client.force_login(space_admin)
    text = client.get(admin_url(component, "export", budget_id=budget.pk, export_format="pb")).content.decode()
    pb = pabulib.loads(text)
    # The file carries the threshold and the tie-breaking order: counted as it says.
    assert pb.meta["min_project_score_threshold"] == "1" and pb.meta["tie_breaking"] == pabulib.TIE_BREAKING
    recount = pabulib.recount(pb)
    assert list(recount.selected) == budget.result["selected"]
    # The command line gives the same.
    path = tmp_path / "export.pb"
    path.write_text(text)
    from django.core.management import call_command, get_commands

    if "pb_tally" in get_commands():  # helper-tally's command, when it is there
        out = io.StringIO()
        call_command("pb_tally", str(path), "--format", "json", stdout=out)
        assert json.loads(out.getvalue())["selected"] == budget.result["selected"]
    # CSV and JSON exports name no person.
    for export_format in ("csv", "json"):
        content = client.get(
            admin_url(component, "export", budget_id=budget.pk, export_format=export_format)
        ).content.decode()
        for person in people:
            assert person.email not in content and person.nickname not in content
        assert Ballot.objects.first().receipt not in content
    assert ActionLog.objects.filter(verb="budgets.ballots_exported").count() == 3


def test_import_a_pb_file_as_a_past_edition(client, space_admin, component, budget, projects, voters):
    from agora.tally import pabulib

    vote_all(budget, projects, voters(4), [(0, 1), (1, 2), (1,), (3,)])
    close_votes(component)
    services.publish_results(actor=space_admin, budget=budget)
    budget.refresh_from_db()
    text = pabulib.dumps(counting.to_pabulib(budget))
    client.force_login(space_admin)
    response = client.post(
        admin_url(component, "pabulib_import"), {"file": SimpleUploadedFile("edition.pb", text.encode())}
    )
    assert response.status_code == 302
    past = Budget.objects.exclude(pk=budget.pk).get()
    assert past.imported_from and past.ballots.count() == 4
    result = counting.count(past)
    by_external = {str(p.pk): p.external_id for p in past.projects.all()}
    assert [by_external[pk] for pk in result["selected"]] == budget.result["selected"]
    assert selectors.integrity_problems(past) == []


# --- accounts ------------------------------------------------------------------------


def test_deleting_an_account_does_not_change_the_totals(participant, component, budget, projects, voters):
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1, projects[1].pk: 1})
    other = voters(1)[0]
    services.cast_ballot(actor=other, budget=budget, choices={projects[0].pk: 1})
    close_votes(component)
    before = counting.count(budget)
    counters = list(Project.objects.order_by("id").values_list("votes_online", flat=True))
    delete_account(user=participant)
    after = counting.count(budget)
    assert before["selected"] == after["selected"] and before["votes"] == after["votes"]
    assert list(Project.objects.order_by("id").values_list("votes_online", flat=True)) == counters
    assert Ballot.objects.count() == 2 and selectors.integrity_problems(budget) == []


# --- ideas become projects ------------------------------------------------------------


def test_accepted_ideas_become_projects_and_authors_are_told(client, space_admin, component, budget):
    from agora.components.proposals.models import ProposalState
    from agora.components.proposals.tests.factories import (
        ProposalFactory,
        ProposalsComponentFactory,
        ProposalStateFactory,
    )
    from agora.notifications.models import Notification

    ideas_component = ProposalsComponentFactory(space=component.space)
    accepted = ProposalStateFactory(component=ideas_component, meaning=ProposalState.Meaning.ACCEPTED)
    rejected = ProposalStateFactory(component=ideas_component, meaning=ProposalState.Meaning.REJECTED)
    good = ProposalFactory(component=ideas_component, published_state=accepted, title="Des bancs")
    factories.member_of(good.author, component.space.organization)
    bad = ProposalFactory(component=ideas_component, published_state=rejected, title="Refusée")
    client.force_login(space_admin)
    url = admin_url(component, "from_ideas", budget_id=budget.pk)
    html = client.get(url).content.decode()
    assert "Des bancs" in html and "Refusée" not in html
    response = client.post(url, {"idea": [good.pk], f"cost_{good.pk}": ""})
    assert response.status_code == 200 and not Project.objects.exists()
    response = client.post(url, {"idea": [good.pk], f"cost_{good.pk}": "12000"})
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.cost == 12_000 and list(project.proposals.all()) == [good]
    assert Notification.objects.filter(recipient=good.author).exists()
    with pytest.raises(ValidationError):
        services.projects_from_ideas(actor=space_admin, budget=budget, proposals=[bad], costs={bad.pk: 1})


# --- every action refused without the right ----------------------------------------------


def test_every_staff_action_is_refused_to_a_participant(participant, budget, projects):
    calls = [
        lambda: services.enter_paper_ballot(
            actor=participant, budget=budget, choices={projects[0].pk: 1}, reference="B"
        ),
        lambda: services.import_paper_counts(actor=participant, budget=budget, upload=csv_file("x")),
        lambda: services.publish_results(actor=participant, budget=budget),
        lambda: services.withdraw_results(actor=participant, budget=budget, reason="x"),
        lambda: services.preview_results(actor=participant, budget=budget),
        lambda: services.log_export(actor=participant, budget=budget, export_format="pb"),
        lambda: services.projects_from_ideas(actor=participant, budget=budget, proposals=[], costs={}),
        lambda: services.save_budget(actor=participant, budget=budget),
        lambda: services.save_project(actor=participant, project=projects[0]),
        lambda: services.delete_project(actor=participant, project=projects[0]),
        lambda: services.import_pabulib(actor=participant, component=budget.component, upload=csv_file("x")),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not Ballot.objects.exists() and not budget.results_published


def test_admin_screens_refuse_a_participant(client, participant, component, budget, projects):
    client.force_login(participant)
    for name, kwargs in [
        ("index", {}),
        ("paper", {"budget_id": budget.pk}),
        ("paper_import", {"budget_id": budget.pk}),
        ("results", {"budget_id": budget.pk}),
        ("export", {"budget_id": budget.pk, "export_format": "pb"}),
        ("from_ideas", {"budget_id": budget.pk}),
    ]:
        assert client.get(admin_url(component, name, **kwargs)).status_code == 403
        assert client.post(admin_url(component, name, **kwargs)).status_code == 403


def test_vote_in_a_district_budget_follows_the_verified_district(organization, participant, component, budget):
    component.settings = {"budget_choice": "district"}
    component.save()
    north = factories.ScopeFactory(organization=organization)
    district_budget = BudgetFactory(component=component, scope=north)
    ProjectFactory(budget=district_budget)
    ids = selectors.voter_budget_ids(component, participant)
    assert budget.pk in ids and district_budget.pk not in ids


def test_results_of_a_budget_without_projects_never_fail(client, space_admin, component):
    empty = BudgetFactory(component=component)
    client.force_login(space_admin)
    response = client.get(admin_url(component, "results", budget_id=empty.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "every counter equals its ballots" in html or "chaque compteur égale ses bulletins" in html
    assert 'role="alert"' not in html  # no failed integrity check


def test_a_past_edition_is_counted_with_the_ids_of_its_file(space_admin, component, budget, projects, voters):
    """Ties are broken on project ids: an imported edition must use the ids
    written in its file, not the database ids its projects happened to get
    (which order differently once they cross a power of ten)."""
    vote_all(budget, projects, voters(2), [(0,), (1,)])  # 50,000 € and 30,000 €: tied at one vote each
    budget.envelope = 60_000  # only one of the two fits
    budget.save()
    first, second = projects[0], projects[1]
    first.external_id, second.external_id = "2", "10"  # "10" < "2" in string order, unlike the database ids
    for project in projects[2:]:
        project.external_id = f"9{project.pk}"
    for project in projects:
        project.save()
    assert counting.count(budget)["selected"][0] == str(second.pk)
    exported = pabulib.loads(pabulib.dumps(counting.to_pabulib(budget)))
    assert {row["project_id"] for row in exported.projects} == {p.external_id for p in projects}


# --- the budgets list (agora.web.ordered_list) --------------------------------------


def test_a_budget_is_deleted_after_a_confirmation_unless_it_has_ballots(
    client, space_admin, component, budget, projects
):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    services.enter_paper_ballot(actor=space_admin, budget=budget, choices={projects[0].pk: 1}, reference="Mairie")
    url = admin_url(component, "budget_delete", budget_id=budget.pk)
    assert client.get(url).status_code == 200 and Budget.objects.filter(pk=budget.pk).exists()
    response = client.post(url)  # the confirmation page again, saying why
    assert response.status_code == 200 and "This budget has ballots: it cannot be deleted." in response.text
    assert Budget.objects.filter(pk=budget.pk).exists()
    empty = BudgetFactory(component=component)
    response = client.post(admin_url(component, "budget_delete", budget_id=empty.pk))
    assert response.status_code == 302 and not Budget.objects.filter(pk=empty.pk).exists()
    assert ActionLog.objects.filter(verb="budgets.budget_deleted", actor=space_admin).count() == 1
    html = client.get(admin_url(component)).text
    assert "1 (0 online, 1 paper)" in html and "Count and results" in html
