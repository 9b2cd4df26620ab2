from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.components.budgets import selectors, services
from agora.components.budgets.models import Ballot, Budget, Choice, Project
from agora.components.budgets.tests.conftest import close_votes
from agora.permissions import PermissionDenied, can
from agora.testing import factories


def test_a_participant_votes_and_counters_follow_the_rows(
    client, participant, budget, projects, django_capture_on_commit_callbacks
):
    client.force_login(participant)
    page = client.get(budget.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-live="polite"' in html and 'name="project"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            budget.get_absolute_url(), {"project": [projects[0].pk, projects[1].pk], "vote": "1", "confirm": "1"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    ballot = Ballot.objects.get(budget=budget, voter=participant)
    assert set(ballot.choices.values_list("project_id", flat=True)) == {projects[0].pk, projects[1].pk}
    projects[0].refresh_from_db()
    assert projects[0].votes_online == 1 and projects[0].votes_paper == 0
    assert selectors.integrity_problems(budget) == []
    # The receipt e-mail carries the code, not the choices.
    assert len(mail.outbox) == 1
    assert ballot.receipt in mail.outbox[0].body
    assert str(projects[0]) not in mail.outbox[0].body
    assert ActionLog.objects.filter(verb="budgets.ballot_cast", actor=participant).exists()


def test_a_ballot_breaking_the_rule_is_refused_and_the_input_kept(client, participant, budget, projects):
    client.force_login(participant)
    response = client.post(budget.get_absolute_url(), {"project": [p.pk for p in projects[:4]], "vote": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 3" in html or "au plus 3" in html
    assert html.count("checked") == 4
    assert not Ballot.objects.exists()


def test_check_button_validates_without_saving(client, participant, budget, projects):
    client.force_login(participant)
    response = client.post(budget.get_absolute_url(), {"project": [projects[0].pk], "check": "1"})
    assert response.status_code == 200
    assert not Ballot.objects.exists()


def test_confirm_mode_refuses_a_second_ballot(participant, budget, projects):
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})
    with pytest.raises(services.BallotRefused):
        services.cast_ballot(actor=participant, budget=budget, choices={projects[1].pk: 1})
    assert Ballot.objects.count() == 1 and Choice.objects.count() == 1


def test_auto_mode_lets_the_person_change_until_the_vote_closes(participant, component, budget, projects):
    component.settings = {"validation": "auto"}
    component.save()
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})
    services.cast_ballot(actor=participant, budget=budget, choices={projects[1].pk: 1, projects[2].pk: 1})
    assert Ballot.objects.count() == 1
    counters = dict(Project.objects.values_list("id", "votes_online"))
    assert counters[projects[0].pk] == 0 and counters[projects[1].pk] == 1 and counters[projects[2].pk] == 1
    assert selectors.integrity_problems(budget) == []
    close_votes(component)
    with pytest.raises(PermissionDenied):
        services.cast_ballot(actor=participant, budget=budget, choices={projects[3].pk: 1})


def test_voting_is_refused_to_anonymous_and_when_closed(client, participant, component, budget, projects):
    response = client.post(budget.get_absolute_url(), {"project": [projects[0].pk], "vote": "1"})
    assert response.status_code == 302  # anonymous: log in, then back to the ballot
    assert response["Location"] == f"{reverse('account_login')}?next={quote(budget.get_absolute_url())}"
    close_votes(component)
    client.force_login(participant)
    response = client.post(budget.get_absolute_url(), {"project": [projects[0].pk], "vote": "1"})
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_unconfirmed_account_cannot_vote(organization, budget, projects):
    person = factories.UserFactory(verified=False)
    factories.member_of(person, organization)
    assert not can(person, "budgets.vote", budget)
    with pytest.raises(PermissionDenied):
        services.cast_ballot(actor=person, budget=budget, choices={projects[0].pk: 1})


def test_one_budget_of_the_persons_choice(participant, component, budget, projects):
    component.settings = {"budget_choice": "one"}
    component.save()
    other = Budget.objects.create(component=component, title={"fr": "Jeunes"}, envelope=10_000, max_projects=1)
    young = Project.objects.create(component=component, budget=other, title={"fr": "Skate"}, cost=5_000)
    assert can(participant, "budgets.vote", other)
    services.cast_ballot(actor=participant, budget=other, choices={young.pk: 1})
    assert not can(participant, "budgets.vote", budget)
    # Even bypassing the permission check, the database refuses a second budget.
    from agora.components.budgets.services import _store_ballot

    with pytest.raises(services.BallotRefused):
        _store_ballot(budget=budget, voter=participant, choices={projects[0].pk: 1}, channel="online", exclusive=True)


def test_random_budget_is_stable_per_person(participant, component, budget, voters):
    component.settings = {"budget_choice": "random"}
    component.save()
    for n in range(3):
        Budget.objects.create(component=component, title={"fr": f"B{n}"}, envelope=1000)
    first = selectors.voter_budget_ids(component, participant)
    selectors.forget_voter_budgets(participant)
    assert first == selectors.voter_budget_ids(component, participant) and len(first) == 1
    spread = set()
    for person in voters(12):
        spread |= selectors.voter_budget_ids(component, person)
    assert len(spread) > 1


def test_a_desk_ballot_is_recorded_as_such(rf, participant, budget, projects, space_admin):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from agora.components.budgets import views

    request = rf.post(budget.get_absolute_url(), {"project": [projects[0].pk], "vote": "1"})
    request.user, request.desk_agent, request.organization = (
        participant,
        space_admin,
        budget.component.space.organization,
    )
    request.session = {}
    request._messages = FallbackStorage(request)
    response = views.budget_detail(
        request,
        space_kind="processes",
        space_slug=budget.component.space.slug,
        component_id=budget.component.pk,
        budget_id=budget.pk,
    )
    assert response.status_code == 302
    assert Ballot.objects.get().channel == "desk"


def test_seed_builds_eight_costed_projects(component):
    from agora.components.budgets.seeds import seed

    budget = seed(component)
    assert budget.projects.count() == 8 and all(p.cost > 0 for p in budget.projects.all())


def test_voters_of_projects_for_the_follow_up(participant, budget, projects, voters):
    other = voters(1)[0]
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})
    services.cast_ballot(actor=other, budget=budget, choices={projects[1].pk: 1})
    assert selectors.voter_ids_for_projects([projects[0].pk]) == {participant.pk}


def test_eligibility_rules_of_the_vote_action_apply(organization, participant, component, budget, projects):
    import datetime

    from agora.verifications.models import EligibilityRule, Verification

    north, south = factories.ScopeFactory(organization=organization), factories.ScopeFactory(organization=organization)
    EligibilityRule.objects.create(component=component, action="vote", methods=["census"], min_age=16, match_scope=True)
    assert not can(participant, "budgets.vote", budget)  # not verified
    Verification.objects.create(
        organization=organization,
        user=participant,
        method="census",
        status=Verification.Status.ACTIVE,
        birth_date=datetime.date(1990, 1, 1),
        scope=north,
    )
    participant.__dict__.pop("_agora_verified", None)
    Budget.objects.filter(pk=budget.pk).update(scope=south)
    budget.refresh_from_db()
    assert not can(participant, "budgets.vote", budget)  # another district
    Budget.objects.filter(pk=budget.pk).update(scope=north)
    budget.refresh_from_db()
    assert can(participant, "budgets.vote", budget)
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})


@pytest.fixture
def database_task_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def test_with_the_database_queue_the_receipt_commits_with_the_ballot(
    database_task_queue, participant, budget, projects
):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from agora.outbox.models import OutgoingEmail

    class Abort(Exception):
        pass

    # An outbox row and its delivery task, inside the ballot's transaction: a rolled-back
    # ballot leaves neither ...
    with pytest.raises(Abort), transaction.atomic():
        services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})
        assert OutgoingEmail.objects.filter(kind="budgets.receipt").count() == 1
        assert DBTaskResult.objects.filter(task_path__endswith="deliver_task").count() == 1
        raise Abort
    assert not Ballot.objects.exists()
    assert not OutgoingEmail.objects.exists() and not DBTaskResult.objects.exists()
    # ... and a stored ballot has exactly one receipt, with its code (no on-commit callback needed).
    ballot = services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})
    receipt = OutgoingEmail.objects.get(kind="budgets.receipt")
    assert receipt.recipient == participant.email and ballot.receipt in receipt.body_text
    task = DBTaskResult.objects.get(task_path__endswith="deliver_task")
    assert task.args_kwargs["args"][0] == [receipt.pk]
    assert len(mail.outbox) == 0  # the worker sends it, not the request


@pytest.mark.parametrize("rule, values", [(Budget.Rule.POINTS, (60, 40, 30, 70)), (Budget.Rule.RANKING, (1, 2, 2, 1))])
def test_changed_points_and_ranking_ballots_keep_every_counter_equal_to_its_rows(
    participant, component, budget, projects, rule, values
):
    # The counters move in one statement on PostgreSQL, one per project elsewhere: both must agree with the rows.
    component.settings = {"validation": "auto"}
    component.save()
    Budget.objects.filter(pk=budget.pk).update(
        rule=rule, points_total=100, points_min=0, points_max=100, rank_k=2, min_projects=1, max_projects=3
    )
    budget.refresh_from_db()
    first, second, third, fourth = values
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: first, projects[1].pk: second})
    assert selectors.integrity_problems(budget) == []
    services.cast_ballot(actor=participant, budget=budget, choices={projects[1].pk: third, projects[2].pk: fourth})
    assert selectors.integrity_problems(budget) == []
    counters = {
        pk: (votes, points) for pk, votes, points in Project.objects.values_list("id", "votes_online", "points_online")
    }
    assert counters[projects[0].pk] == (0, 0) and counters[projects[1].pk][0] == 1 and counters[projects[2].pk][0] == 1
    assert counters[projects[1].pk][1] > 0 and counters[projects[2].pk][1] > 0


def test_the_receipt_comes_from_the_organization_s_sender_in_the_voter_s_language(
    django_capture_on_commit_callbacks, organization, participant, budget, projects
):
    # The receipt used to read a `from_email` attribute organizations never had.
    organization.sender_email = "budget@ville.example"
    organization.available_languages = ["fr", "en"]
    organization.save()
    participant.language = "en"
    participant.save()
    services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1})
    assert [m.from_email for m in mail.outbox] == ["budget@ville.example"]
    assert "Your receipt code" in mail.outbox[0].body
