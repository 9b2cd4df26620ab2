"""Evaluators see and evaluate only the ideas assigned to them; admins see
every evaluation and a summary; estimated costs for the budgets."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from agora.actionlog.models import ActionLog
from agora.components.proposals.evaluation import selectors, services
from agora.components.proposals.evaluation.models import Criterion, Evaluation
from agora.permissions import PermissionDenied
from agora.testing import factories

from .factories import CriterionFactory, IdeaFactory, admin_url, assign, evaluator_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(component):
    return {
        "feasible": CriterionFactory(component=component, kind=Criterion.Kind.YES_NO, weight=1),
        "score": CriterionFactory(component=component, kind=Criterion.Kind.SCORE, weight=2),
        "cost": CriterionFactory(component=component, kind=Criterion.Kind.COST, weight=3),
        "note": CriterionFactory(component=component, kind=Criterion.Kind.NOTE, weight=4),
    }


def test_an_evaluator_lists_only_the_ideas_assigned_to_them(client, component, evaluator):
    mine = IdeaFactory(component=component, title="Assignée à moi")
    IdeaFactory(component=component, title="Pas pour moi")
    assign(mine, evaluator)
    client.force_login(evaluator)
    response = client.get(admin_url(component, "index"))
    assert response.status_code == 200
    assert "Assignée à moi" in response.text and "Pas pour moi" not in response.text
    assert 'name="proposals"' not in response.text  # no bulk actions for evaluators


def test_an_evaluator_cannot_open_or_evaluate_an_idea_not_assigned(client, component, evaluator, grid):
    other = IdeaFactory(component=component)
    client.force_login(evaluator)
    assert client.get(admin_url(component, "detail", proposal_id=other.pk)).status_code == 404
    url = admin_url(component, "evaluate", proposal_id=other.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"c{grid['score'].pk}_score": "4"}).status_code == 404
    assert not Evaluation.objects.exists()
    with pytest.raises(PermissionDenied):
        services.save_evaluation(actor=evaluator, proposal=other, values={grid["score"].pk: {"score": 4}})


def test_evaluators_of_another_space_and_participants_are_refused(
    client, component, outsider_evaluator, participant, grid
):
    idea = IdeaFactory(component=component)
    assign(idea, outsider_evaluator)  # even assigned by mistake, the role in this space is missing
    for person in (outsider_evaluator, participant):
        client.force_login(person)
        assert client.get(admin_url(component, "index")).status_code == 403
        url = admin_url(component, "evaluate", proposal_id=idea.pk)
        assert client.post(url, {f"c{grid['score'].pk}_score": "4"}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.save_evaluation(actor=person, proposal=idea, values={grid["score"].pk: {"score": 4}})
    assert not Evaluation.objects.exists()


def test_an_evaluator_fills_the_grid_and_cannot_answer(client, component, evaluator, grid):
    idea = IdeaFactory(component=component)
    assign(idea, evaluator)
    client.force_login(evaluator)
    url = admin_url(component, "evaluate", proposal_id=idea.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            f"c{grid['feasible'].pk}_yes": "yes",
            f"c{grid['feasible'].pk}_reason": "Terrain communal",
            f"c{grid['score'].pk}_score": "4",
            f"c{grid['cost'].pk}_cost": "12 500,50",
            f"c{grid['note'].pk}_note": "À voir avec la voirie",
        },
    )
    assert response.status_code == 302
    rows = {e.criterion_id: e for e in Evaluation.objects.filter(proposal=idea, evaluator=evaluator)}
    assert rows[grid["feasible"].pk].yes is True and rows[grid["feasible"].pk].reason == "Terrain communal"
    assert rows[grid["score"].pk].score == 4
    assert rows[grid["cost"].pk].cost == Decimal("12500.50")
    assert rows[grid["note"].pk].note == "À voir avec la voirie"
    assert ActionLog.objects.filter(verb="proposal.evaluate").count() == 1
    # Saving again updates the same rows (one per evaluator, idea and criterion).
    client.post(url, {f"c{grid['score'].pk}_score": "2"})
    assert Evaluation.objects.filter(proposal=idea, evaluator=evaluator, criterion=grid["score"]).get().score == 2
    # No answering nor publishing.
    assert client.get(admin_url(component, "answer", proposal_id=idea.pk)).status_code == 403
    assert client.post(admin_url(component, "bulk"), {"proposals": [idea.pk], "action": "publish"}).status_code == 403


def test_bad_grid_input_is_shown_with_the_input_kept(client, component, evaluator, grid):
    idea = IdeaFactory(component=component)
    assign(idea, evaluator)
    client.force_login(evaluator)
    url = admin_url(component, "evaluate", proposal_id=idea.pk)
    response = client.post(url, {f"c{grid['score'].pk}_score": "9", f"c{grid['cost'].pk}_cost": "beaucoup"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    assert 'value="beaucoup"' in response.text
    assert f'aria-describedby="id_c{grid["cost"].pk}_cost_error"' in response.text
    assert not Evaluation.objects.exists()


def test_the_database_holds_one_evaluation_per_criterion_and_the_score_range(component, evaluator, grid):
    idea = IdeaFactory(component=component)
    Evaluation.objects.create(proposal=idea, evaluator=evaluator, criterion=grid["score"], score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(proposal=idea, evaluator=evaluator, criterion=grid["score"], score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(proposal=idea, evaluator=evaluator, criterion=grid["note"], score=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(proposal=idea, evaluator=evaluator, criterion=grid["cost"], cost=-1)


def test_admins_see_every_evaluation_and_the_summary(client, component, admin, process, grid):
    idea = IdeaFactory(component=component)
    first, second = evaluator_of(process), evaluator_of(process)
    for person, score, cost in ((first, 4, "1000"), (second, 1, "2000.01")):
        assign(idea, person)
        services.save_evaluation(
            actor=person,
            proposal=idea,
            values={
                grid["score"].pk: {"score": score},
                grid["cost"].pk: {"cost": Decimal(cost)},
                grid["feasible"].pk: {"yes": person == first},
            },
        )
    summary = selectors.summaries([idea.pk])[idea.pk]
    assert summary["score"] == Decimal("2.5")
    assert summary["cost"] == Decimal("1500.01")  # (1000 + 2000.01) / 2, rounded to the cent
    assert summary["yes"] == 1 and summary["no"] == 1 and summary["evaluators"] == 2
    client.force_login(admin)
    response = client.get(admin_url(component, "detail", proposal_id=idea.pk))
    assert response.status_code == 200
    assert first.public_name in response.text and second.public_name in response.text
    assert "1\u202f500,01\u00a0€" in response.text
    # An evaluator sees only their own evaluation on the idea's page.
    client.force_login(first)
    response = client.get(admin_url(component, "detail", proposal_id=idea.pk))
    assert second.public_name not in response.text
    assert first.public_name in response.text


def test_estimated_costs_for_the_budgets(component, process, grid):
    second_cost = CriterionFactory(component=component, kind=Criterion.Kind.COST)
    with_cost, without = IdeaFactory(component=component), IdeaFactory(component=component)
    person = evaluator_of(process)
    assign(with_cost, person)
    services.save_evaluation(
        actor=person,
        proposal=with_cost,
        values={
            grid["cost"].pk: {"cost": Decimal("100")},
            second_cost.pk: {"cost": Decimal("50.5")},
        },
    )
    assert selectors.estimated_cost(with_cost) == Decimal("150.50")
    assert selectors.estimated_cost(without) is None
    assert selectors.estimated_costs([with_cost.pk, without.pk]) == {with_cost.pk: Decimal("150.50")}


def test_assignments_only_for_the_spaces_evaluators(component, admin, participant):
    from django.core.exceptions import ValidationError

    idea = IdeaFactory(component=component)
    with pytest.raises(ValidationError):
        services.assign_evaluators(actor=admin, component=component, proposals=[idea], evaluators=[participant])


def test_assign_and_unassign_are_logged(component, admin, process):
    idea = IdeaFactory(component=component)
    person = evaluator_of(process)
    assert services.assign_evaluators(actor=admin, component=component, proposals=[idea], evaluators=[person]) == 1
    assert services.assign_evaluators(actor=admin, component=component, proposals=[idea], evaluators=[person]) == 0
    assert services.unassign_evaluators(actor=admin, component=component, proposals=[idea], evaluators=[person]) == 1
    verbs = list(ActionLog.objects.values_list("verb", flat=True))
    assert verbs.count("proposal.assign") == 1 and verbs.count("proposal.unassign") == 1


def test_the_admin_of_the_organization_has_every_screen(client, component, org_admin, grid):
    idea = IdeaFactory(component=component)
    client.force_login(org_admin)
    for name, kwargs in [
        ("index", {}),
        ("detail", {"proposal_id": idea.pk}),
        ("answer", {"proposal_id": idea.pk}),
        ("evaluate", {"proposal_id": idea.pk}),
        ("states", {}),
        ("fields", {}),
        ("criteria", {}),
        ("import", {}),
        ("state_create", {}),
        ("field_create", {}),
        ("criterion_create", {}),
    ]:
        response = client.get(admin_url(component, name, **kwargs))
        assert response.status_code == 200, name
        assert response.content.count(b"<h1") == 1


def test_a_component_of_another_organization_is_not_found(client, other_organization, component):
    admin_elsewhere = factories.UserFactory()
    client.force_login(admin_elsewhere)
    response = client.get(admin_url(component, "index"), HTTP_HOST="other.example.org")
    assert response.status_code == 404
