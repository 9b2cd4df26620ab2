"""Publishing, publishing again and withdrawing results (issue 14, walk-through
item 1): a confirmation that says what changes, the follow-up kept in step,
voters and followers told, one source of truth for the winners, and every
page giving the same answer to "may people vote"."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.components.accountability import selectors as follow_up_selectors
from agora.components.accountability import services as follow_up
from agora.components.budgets import api, hooks, notifications, services
from agora.components.budgets.models import Budget
from agora.components.budgets.tests.conftest import close_votes
from agora.components.budgets.tests.factories import ProjectFactory
from agora.follows.services import follow
from agora.notifications.models import Notification, Preference
from agora.outbox.models import OutgoingEmail
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories


def admin_url(component, name, **kwargs):
    return reverse(
        f"budgets_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


@pytest.fixture
def story(component, budget, space_admin, voters):
    """Five projects, ten online voters: greedy selects A (50k, 5 votes), then C
    (20k, 4 votes: cheaper than B, tied) and B (30k, 4 votes) for the 100k
    envelope; D (10k) and E (60k) are left out."""
    budget.max_projects = 5
    budget.save()
    a, b, c, d, e = (
        ProjectFactory(budget=budget, cost=cost, title={"fr": name, "en": name})
        for name, cost in (("A", 50_000), ("B", 30_000), ("C", 20_000), ("D", 10_000), ("E", 60_000))
    )
    people = voters(10)
    picks = [(a, b), (a, c), (a, b), (a, c), (b, c), (b,), (c,), (d,), (a,), (e,)]
    for person, chosen in zip(people, picks):
        services.cast_ballot(actor=person, budget=budget, choices={p.pk: 1 for p in chosen})
    close_votes(component)
    budget = Budget.objects.get(pk=budget.pk)
    return {"budget": budget, "projects": {p.title["fr"]: p for p in (a, b, c, d, e)}, "voters": people}


def _fresh(budget):
    fresh = Budget.objects.get(pk=budget.pk)
    fresh.component = budget.component
    return fresh


def _more_votes_for_b_and_d(admin, budget, projects, n=6):
    """Paper ballots counted late: B (10 votes) and D (7) come first, then A (5);
    C (4 votes, 20,000 €) no longer fits."""
    for _ in range(n):
        services.enter_paper_ballot(
            actor=admin, budget=budget, reference="Mairie", choices={projects["B"].pk: 1, projects["D"].pk: 1}
        )


def _tracking(component, admin):
    tracking = factories.ComponentFactory(space=component.space, manifest_name="accountability")
    follow_up.create_default_statuses(actor=admin, component=tracking)
    return tracking


def test_republishing_shows_the_changes_keeps_the_follow_up_in_step_and_tells_people(
    client, component, space_admin, story, organization
):
    budget, projects, people = story["budget"], story["projects"], story["voters"]
    follower = factories.UserFactory()
    factories.member_of(follower, organization)
    follow(user=follower, target=component.space)
    Preference.objects.create(user=people[0], organization=organization, email_frequency=Preference.Frequency.IMMEDIATE)
    services.publish_results(actor=space_admin, budget=budget)
    budget = _fresh(budget)
    first = [str(projects[name].pk) for name in ("A", "C", "B")]
    assert budget.result["selected"] == first
    published = Notification.objects.filter(event=notifications.PUBLISHED)
    assert set(published.values_list("recipient_id", flat=True)) == {p.pk for p in people} | {follower.pk}
    assert OutgoingEmail.objects.filter(recipient=people[0].email).exists()  # through the outbox

    # The follow-up imports the winners; C's works start.
    tracking = _tracking(component, space_admin)
    results = {
        r.projects.get().title["fr"]: r
        for r in follow_up.import_projects(actor=space_admin, component=tracking, source=component)
    }
    assert set(results) == {"A", "B", "C"}
    works = tracking.result_statuses.get(token="travaux-en-cours")
    follow_up.bulk_change_status(actor=space_admin, component=tracking, results=[results["C"]], status=works)

    _more_votes_for_b_and_d(space_admin, budget, projects)
    client.force_login(space_admin)
    confirm = admin_url(component, "results_publish", budget_id=budget.pk)
    page = client.get(confirm).content.decode()
    # The confirmation says what changes: D added, C dropped with its follow-up result.
    added, dropped = page.index('id="added-heading"'), page.index('id="dropped-heading"')
    kept = page.index('id="kept-heading"')
    assert added < page.index(">D</strong>") < dropped < page.index(">C</strong>") < kept
    assert "Travaux en cours" in page[dropped:kept]
    assert "reason" in page
    second = [str(projects[name].pk) for name in ("B", "D", "A")]
    assert budget.result["selected"] == first  # nothing changed before the confirmation

    # No reason: refused; a stale confirmation (another paper ballot since): refused.
    assert client.post(confirm, {"expected": ",".join(second)}).status_code == 400
    assert client.post(confirm, {"expected": ",".join(first), "reason": "Urne 2"}).status_code == 400
    assert _fresh(budget).result["selected"] == first
    response = client.post(confirm, {"expected": ",".join(second), "reason": "Les bulletins de l'urne 2"})
    assert response.status_code == 302
    budget = _fresh(budget)
    assert budget.result["selected"] == second

    log = ActionLog.objects.get(verb="budgets.results_republished")
    assert log.visibility == ActionLog.Visibility.PUBLIC
    assert log.data["added"] == [str(projects["D"].pk)] and log.data["dropped"] == [str(projects["C"].pk)]
    assert log.data["reason"] == "Les bulletins de l'urne 2"
    changed = Notification.objects.filter(event=notifications.CHANGED)
    assert set(changed.values_list("recipient_id", flat=True)) == {p.pk for p in people} | {follower.pk}
    assert not changed.filter(recipient=space_admin).exists()

    # Every page agrees: the results page, the project pages, the follow-up.
    client.logout()
    results_page = client.get(budget.get_results_url()).content.decode()
    assert "Les bulletins de l&#x27;urne 2" in results_page or "Les bulletins de l'urne 2" in results_page
    for name, winner in (("A", True), ("C", False), ("D", True)):
        project = projects[name]
        project.component = component
        html = client.get(project.get_absolute_url()).content.decode()
        result = re.search(r'<dt>Résultat</dt><dd><span class="badge[^"]*">(?:<svg.*?</svg>)?([^<]+)</span></dd>', html)
        assert result.group(1) == ("Retenu" if winner else "Non retenu")
    c_page = client.get(projects["C"].get_absolute_url()).content.decode()
    assert "Plus retenu" in c_page  # its follow-up result, under "what became of it", is flagged
    index = client.get(tracking.get_absolute_url()).content.decode()
    assert index.count("result-source-flag") == 1 and "Plus retenu" in index
    results["C"].component = tracking
    assert "Plus retenu" in client.get(results["C"].get_absolute_url()).content.decode()
    # D is offered for import; A and B are not imported twice.
    assert [p.pk for p in follow_up.importable_projects(tracking, component)] == [projects["D"].pk]
    client.force_login(space_admin)
    listing = client.get(
        reverse("accountability_admin:index", kwargs={"space_id": component.space_id, "component_id": tracking.pk})
    ).content.decode()
    assert "1 projet gagnant" in listing and "Plus retenu" in listing


def test_publishing_again_without_change_tells_nobody(component, space_admin, story):
    budget = story["budget"]
    services.publish_results(actor=space_admin, budget=budget)
    Notification.objects.all().delete()
    with pytest.raises(ValidationError):
        services.publish_results(actor=space_admin, budget=_fresh(budget))  # a reason is required
    services.publish_results(actor=space_admin, budget=_fresh(budget), reason="Vérification")
    assert not Notification.objects.exists()
    assert ActionLog.objects.get(verb="budgets.results_republished").data["added"] == []


def test_withdrawing_reopens_the_vote_on_every_page_with_a_confirmation(
    client, component, space_admin, story, participant
):
    budget = story["budget"]
    services.publish_results(actor=space_admin, budget=budget)
    # The officer opens the vote again in the phase settings: while the results are
    # published, every page says the vote is over.
    phase = component.space.phases.get(is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    component.save()
    client.force_login(participant)
    index = client.get(component.get_absolute_url()).content.decode()
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "Le vote est ouvert" not in index and 'id="ballot"' not in page
    assert "Le vote est terminé" in page
    client.force_login(space_admin)
    results = client.get(admin_url(component, "results", budget_id=budget.pk)).content.decode()
    assert "retirez les résultats" in results.lower()
    confirm = admin_url(component, "results_withdraw", budget_id=budget.pk)
    page = client.get(confirm).content.decode()
    assert "Le vote est de nouveau ouvert" in page and 'id="dropped-heading"' in page
    assert client.post(confirm, {"reason": ""}).status_code == 400
    assert _fresh(budget).results_published
    assert client.post(confirm, {"reason": "Une urne oubliée"}).status_code == 302
    budget = _fresh(budget)
    assert not budget.results_published and budget.winner_ids() == []
    assert ActionLog.objects.get(verb="budgets.results_withdrawn").data["vote_reopens"] is True
    assert Notification.objects.filter(event=notifications.WITHDRAWN).count() == len(story["voters"])
    # Now both pages say the vote is open, and the budget page gives the reason.
    client.force_login(participant)
    index = client.get(component.get_absolute_url()).content.decode()
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "Le vote est ouvert" in index and 'id="ballot"' in page
    assert "Une urne oubliée" in page
    assert client.get(budget.get_results_url()).status_code == 404


def test_winners_are_stored_once_and_every_reader_agrees(component, space_admin, story):
    """The only stored winners are the published count; the pages, the exports
    and the follow-up read them, through every publication, change and withdrawal."""
    budget, projects = story["budget"], story["projects"]

    def readers(budget):
        budget = _fresh(budget)
        exported = json.loads(hooks.export_json(component).content)["budgets"][0]
        from_json = {p["id"] for p in exported["projects"] if p["selected"]}
        csv_lines = hooks.export_csv(component).content.decode().splitlines()[1:]
        from_csv = {int(line.split(",")[2]) for line in csv_lines if line.endswith(",1")}
        outcomes = api.project_outcomes([p.pk for p in projects.values()])
        return [
            set(budget.winner_ids()),
            from_json,
            from_csv,
            {pk for pk, outcome in outcomes.items() if outcome.state == api.SELECTED},
            set(api.winning_projects(component).values_list("pk", flat=True)),
        ]

    assert all(found == set() for found in readers(budget))
    services.publish_results(actor=space_admin, budget=budget)
    first = readers(budget)
    assert all(found == first[0] for found in first) and first[0]
    _more_votes_for_b_and_d(space_admin, budget, projects)
    services.publish_results(actor=space_admin, budget=_fresh(budget), reason="Urne 2")
    second = readers(budget)
    assert all(found == second[0] for found in second) and second[0] != first[0]
    services.withdraw_results(actor=space_admin, budget=_fresh(budget), reason="Erreur")
    assert all(found == set() for found in readers(budget))
    assert not any(field.name == "selected" for field in type(projects["A"])._meta.get_fields())


def test_a_withdrawn_result_is_flagged_in_the_follow_up(component, space_admin, story):
    budget = story["budget"]
    services.publish_results(actor=space_admin, budget=budget)
    tracking = _tracking(component, space_admin)
    follow_up.import_projects(actor=space_admin, component=tracking, source=component)
    services.withdraw_results(actor=space_admin, budget=_fresh(budget), reason="Erreur")
    states = {r.source_state for r in follow_up_selectors.results(tracking)}
    assert states == {"unpublished"}


def test_the_publication_screens_refuse_people_without_the_right(client, component, story, participant):
    budget = story["budget"]
    collaborator = factories.RoleFactory(space=component.space, name=Role.Name.COLLABORATOR).user
    factories.member_of(collaborator, component.space.organization)
    for person in (participant, collaborator):
        client.force_login(person)
        for name in ("results_publish", "results_withdraw"):
            url = admin_url(component, name, budget_id=budget.pk)
            assert client.get(url).status_code == 403
            assert client.post(url, {"expected": "", "reason": "x"}).status_code == 403
    assert not _fresh(budget).results_published
    with pytest.raises(PermissionDenied):
        services.publish_results(actor=collaborator, budget=budget)
    with pytest.raises(PermissionDenied):
        services.withdraw_results(actor=collaborator, budget=budget, reason="x")
    assert not Notification.objects.exists()
