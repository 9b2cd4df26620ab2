"""Counting choices (issue 14 walk-through, item 4): greedy and equal shares
side by side for the staff (the published rule stays the locked one),
incompatible projects and overrides with a public reason, shown on the
results page and in the public log, and carried by the .pb file."""

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.components.budgets import counting, hooks, services
from agora.components.budgets.models import Budget, Incompatibility, Override
from agora.components.budgets.tests.conftest import close_votes
from agora.components.budgets.tests.factories import ProjectFactory
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories


def admin_url(component, name, **kwargs):
    return reverse(
        f"budgets_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


@pytest.fixture
def edition(component, budget, voters):
    """Envelope 100,000 €. Greedy: skatepark (60k, 6 votes), then the garden
    (30k, 5 votes); the court (40k, 4 votes) no longer fits; the benches (10k,
    3 votes) do. Equal shares without completion gives another answer: the
    garden only (the skatepark's six voters cannot pay 60,000 € with their
    shares of 100,000 / 11)."""
    budget.max_projects = 4
    budget.save()
    names = {"skatepark": 60_000, "jardin": 30_000, "terrain": 40_000, "bancs": 10_000}
    projects = {
        name: ProjectFactory(budget=budget, cost=cost, title={"fr": name.capitalize(), "en": name})
        for name, cost in names.items()
    }
    picks = (
        [("skatepark",)] * 4 + [("skatepark", "terrain")] * 2 + [("jardin", "terrain")] * 2 + [("jardin", "bancs")] * 3
    )
    for person, chosen in zip(voters(len(picks)), picks):
        services.cast_ballot(actor=person, budget=budget, choices={projects[name].pk: 1 for name in chosen})
    close_votes(component)
    return Budget.objects.get(pk=budget.pk), projects


def winners(budget, projects):
    names = {str(p.pk): name for name, p in projects.items()}
    return [names[pk] for pk in counting.count(budget)["selected"]]


def test_an_incompatibility_changes_the_count_and_shows_everywhere(client, component, space_admin, edition):
    budget, projects = edition
    assert winners(budget, projects) == ["skatepark", "jardin", "bancs"]
    services.add_incompatibility(
        actor=space_admin,
        budget=budget,
        first=projects["jardin"],
        second=projects["skatepark"],
        reason="Le même terrain près de la gare.",
    )
    # Greedy: the skatepark's turn comes first; the garden is skipped; the court now fits.
    assert winners(budget, projects) == ["skatepark", "terrain"]
    result = counting.count(budget)
    assert result["left_out"] == {str(projects["jardin"].pk): str(projects["skatepark"].pk)}
    # The budget page says so during the vote (and after).
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "Le même terrain près de la gare." in page
    services.publish_results(actor=space_admin, budget=budget)
    html = client.get(budget.get_results_url()).content.decode()
    decisions = html[html.index('id="decisions-heading"') :]
    assert "Le même terrain près de la gare." in decisions and "Jardin" in decisions
    row = re.search(r"<th scope=\"row\">Jardin</th>.*?</tr>", html, re.S).group(0)
    assert "incompatible" in row
    log = html[html.index('id="public-log-heading"') :]
    assert "incompatibles" in log and "Le même terrain" in log
    entry = ActionLog.objects.get(verb="budgets.incompatibility_added")
    assert entry.visibility == ActionLog.Visibility.PUBLIC and entry.actor == space_admin


def test_overrides_fund_or_exclude_with_a_public_reason(client, component, space_admin, edition):
    budget, projects = edition
    services.set_override(
        actor=space_admin,
        budget=budget,
        project=projects["terrain"],
        decision="fund",
        reason="Le terrain est dangereux : la ville le rénove en priorité.",
    )
    services.set_override(
        actor=space_admin,
        budget=budget,
        project=projects["skatepark"],
        decision="exclude",
        reason="Le permis de construire a été refusé.",
    )
    # The court first (40k), then greedy on the other 60k: the garden, the benches.
    assert winners(budget, projects) == ["terrain", "jardin", "bancs"]
    services.publish_results(actor=space_admin, budget=budget)
    html = client.get(budget.get_results_url()).content.decode()
    assert "par décision de la ville" in html
    assert "Le permis de construire a été refusé." in html and "la ville le rénove en priorité" in html
    assert ActionLog.objects.filter(verb="budgets.override_set", visibility="public").count() == 2
    # Changing a decision after publication changes nothing until the officer publishes again.
    override = Override.objects.get(project=projects["skatepark"])
    services.remove_override(actor=space_admin, override=override)
    assert Budget.objects.get(pk=budget.pk).result["selected"] == [
        str(projects[n].pk) for n in ("terrain", "jardin", "bancs")
    ]
    assert "retirée" in client.get(budget.get_results_url()).content.decode()  # the public log says it


def test_decisions_are_checked(component, space_admin, budget, edition):
    budget, projects = edition
    other = ProjectFactory(
        budget=services.save_budget(
            actor=space_admin, budget=Budget(component=component, title={"fr": "Autre"}, envelope=10)
        ),
        cost=1,
    )
    cases = [
        lambda: services.add_incompatibility(
            actor=space_admin, budget=budget, first=projects["jardin"], second=projects["bancs"], reason="  "
        ),
        lambda: services.add_incompatibility(
            actor=space_admin, budget=budget, first=projects["jardin"], second=projects["jardin"], reason="x"
        ),
        lambda: services.add_incompatibility(
            actor=space_admin, budget=budget, first=projects["jardin"], second=other, reason="x"
        ),
        lambda: services.set_override(
            actor=space_admin, budget=budget, project=projects["bancs"], decision="fund", reason=""
        ),
        lambda: services.set_override(
            actor=space_admin, budget=budget, project=projects["bancs"], decision="maybe", reason="x"
        ),
    ]
    for case in cases:
        with pytest.raises(ValidationError):
            case()
    services.set_override(actor=space_admin, budget=budget, project=projects["skatepark"], decision="fund", reason="a")
    services.set_override(actor=space_admin, budget=budget, project=projects["jardin"], decision="fund", reason="b")
    with pytest.raises(ValidationError):  # 60k + 30k + 40k > 100k
        services.set_override(
            actor=space_admin, budget=budget, project=projects["terrain"], decision="fund", reason="c"
        )
    services.set_override(actor=space_admin, budget=budget, project=projects["bancs"], decision="fund", reason="d")
    with pytest.raises(ValidationError):  # both funded: they cannot become incompatible
        services.add_incompatibility(
            actor=space_admin, budget=budget, first=projects["skatepark"], second=projects["bancs"], reason="e"
        )
    # Overrides wait for the end of the vote.
    phase = component.space.phases.get(is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    component.save()
    with pytest.raises(ValidationError):
        services.set_override(
            actor=space_admin,
            budget=Budget.objects.get(pk=budget.pk),
            project=projects["jardin"],
            decision="exclude",
            reason="f",
        )


def test_staff_compare_greedy_and_equal_shares_the_published_rule_stays(client, component, space_admin, edition):
    budget, projects = edition
    client.force_login(space_admin)
    html = client.get(admin_url(component, "results_compare", budget_id=budget.pk)).content.decode()
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert "Glouton" in head and "Parts égales" in head and "(la règle de ce budget)" in head
    rows = counting.compare(budget)
    by_rule = {(row["method"], row["completion"]): row for row in rows}
    assert [row["locked"] for row in rows] == [True, False, False]  # greedy, locked before the vote
    assert by_rule[("greedy", "none")]["selected"] != by_rule[("mes", "none")]["selected"]
    services.publish_results(actor=space_admin, budget=budget)
    assert Budget.objects.get(pk=budget.pk).result["selected"] == by_rule[("greedy", "none")]["selected"]
    # Equal shares is offered in the back-office for a budget before its vote.
    form = client.get(admin_url(component, "budget_create")).content.decode()
    assert 'value="mes"' in form


def test_the_pb_file_carries_the_decisions_and_pb_tally_gives_the_published_winners(
    component, space_admin, edition, tmp_path
):
    budget, projects = edition
    services.add_incompatibility(
        actor=space_admin, budget=budget, first=projects["jardin"], second=projects["skatepark"], reason="Même terrain"
    )
    services.set_override(
        actor=space_admin, budget=budget, project=projects["bancs"], decision="exclude", reason="Déjà financé"
    )
    budget = services.publish_results(actor=space_admin, budget=budget)
    path = tmp_path / "budget.pb"
    path.write_bytes(hooks.export_pb(budget).content)
    out = io.StringIO()
    call_command("pb_tally", str(path), stdout=out)
    assert json.loads(out.getvalue())["selected"] == budget.result["selected"]


def test_decisions_and_comparison_are_refused_without_the_right(client, component, participant, edition):
    budget, projects = edition
    collaborator = factories.RoleFactory(space=component.space, name=Role.Name.COLLABORATOR).user
    factories.member_of(collaborator, component.space.organization)
    pair = Incompatibility.objects.create(
        budget=budget, first=projects["skatepark"], second=projects["jardin"], reason="x"
    )
    override = Override.objects.create(budget=budget, project=projects["bancs"], decision="fund", reason="y")
    for person in (participant, collaborator):
        calls = [
            lambda: services.add_incompatibility(
                actor=person, budget=budget, first=projects["bancs"], second=projects["terrain"], reason="z"
            ),
            lambda: services.remove_incompatibility(actor=person, incompatibility=pair),
            lambda: services.set_override(
                actor=person, budget=budget, project=projects["terrain"], decision="exclude", reason="z"
            ),
            lambda: services.remove_override(actor=person, override=override),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
        client.force_login(person)
        for name in ("decisions", "results_compare"):
            assert client.get(admin_url(component, name, budget_id=budget.pk)).status_code == 403
        response = client.post(
            admin_url(component, "decisions", budget_id=budget.pk), {"action": "remove_override", "id": override.pk}
        )
        assert response.status_code == 403
    assert Incompatibility.objects.count() == 1 and Override.objects.count() == 1
    assert not ActionLog.objects.filter(verb__startswith="budgets.override").exists()


def test_the_decisions_page_adds_and_withdraws(client, component, space_admin, edition):
    budget, projects = edition
    client.force_login(space_admin)
    url = admin_url(component, "decisions", budget_id=budget.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "action": "add_incompatibility",
            "incompatible-first": projects["jardin"].pk,
            "incompatible-second": projects["skatepark"].pk,
            "incompatible-reason": "",
        },
    )
    assert response.status_code == 400 and not Incompatibility.objects.exists()
    response = client.post(
        url,
        {
            "action": "add_incompatibility",
            "incompatible-first": projects["jardin"].pk,
            "incompatible-second": projects["skatepark"].pk,
            "incompatible-reason": "Même terrain",
        },
    )
    assert response.status_code == 302 and Incompatibility.objects.count() == 1
    response = client.post(
        url,
        {
            "action": "set_override",
            "override-project": projects["bancs"].pk,
            "override-decision": "exclude",
            "override-reason": "Déjà financé",
        },
    )
    assert response.status_code == 302 and Override.objects.get().decision == "exclude"
    assert "Déjà financé" in client.get(url).content.decode()
    client.post(url, {"action": "remove_override", "id": Override.objects.get().pk})
    client.post(url, {"action": "remove_incompatibility", "id": Incompatibility.objects.get().pk})
    assert not Override.objects.exists() and not Incompatibility.objects.exists()
    assert (
        ActionLog.objects.filter(
            verb__in=["budgets.override_removed", "budgets.incompatibility_removed"], visibility="public"
        ).count()
        == 2
    )
