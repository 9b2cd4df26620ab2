"""Once the vote has started, what counts the ballots is shown locked (not
refused after saving), and the other fields still save; a projects's ideas
are chosen with a searchable list, not a Ctrl-click list box."""

import re

from django.urls import reverse

from agora.components.proposals.tests.factories import ProposalFactory


def _url(component, name, **kwargs):
    return reverse(
        f"budgets_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def _locked(html, name):
    """The field is drawn disabled, in a block marked locked, "(locked)" in its label."""
    return (
        re.search(rf'<div class="locked-field">\s*<label for="id_{name}">[^<]*\(locked\):</label>', html) is not None
        and re.search(rf'<[^>]*name="{name}"[^>]*disabled', html) is not None
    )


def test_the_budget_settings_are_locked_while_the_vote_is_open(client, space_admin, component, budget):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    url = _url(component, "budget_edit", budget_id=budget.pk)
    html = client.get(url).content.decode()
    assert _locked(html, "envelope") and _locked(html, "min_votes")
    assert "Locked: voting has started." in html
    assert re.search(r'name="rule"[^>]*disabled', html)
    assert not re.search(r'name="title__fr"[^>]*disabled', html) and not _locked(html, "weight")

    # The title still saves; the envelope sent anyway is ignored, without a refusal.
    response = client.post(
        url,
        {
            "title__fr": "Budget des quartiers",
            "envelope": "1",
            "rule": "points",
            "method": "mes",
            "completion": "none",
            "weight": 0,
            "min_projects": 0,
            "points_total": 100,
            "points_min": 1,
            "rank_k": 3,
            "savings_target": 0,
            "min_percent": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    budget.refresh_from_db()
    assert budget.title["fr"] == "Budget des quartiers"
    assert budget.envelope == 100_000 and budget.rule == "approval"


def test_a_project_cost_is_locked_and_its_ideas_are_searchable(client, space_admin, component, budget, projects):
    ideas_component = type(component).objects.create(
        space=component.space, manifest_name="proposals", name={"fr": "Idées"}
    )
    ideas = [ProposalFactory(component=ideas_component, title=f"Jardin partagé {n}") for n in range(3)]
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    project = projects[0]
    url = _url(component, "project_edit", budget_id=budget.pk, project_id=project.pk)
    html = client.get(url).content.decode()
    assert _locked(html, "cost") and "the cost of a project can no longer change" in html
    # The ideas: one <select multiple> marked for the search box, with every idea of the space.
    select = re.search(r'<select name="proposals"[^>]*>', html).group(0)
    assert "multiple" in select and "data-searchable" in select
    assert html.count('<option value="') >= len(ideas)
    assert "Hold Ctrl" in html  # the hint without JavaScript
    data = {"title__fr": project.title["fr"], "cost": "1", "weight": 0, "proposals": [ideas[0].pk, ideas[2].pk]}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert project.cost == 50_000
    assert set(project.proposals.values_list("pk", flat=True)) == {ideas[0].pk, ideas[2].pk}
