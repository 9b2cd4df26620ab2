import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agora.components.budgets.models import Ballot, Budget, Project, ProjectDocument
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.components.registry import registry
from agora.testing import factories
from agora.testing.xss import PAYLOADS

RAW_MARKERS = (
    "<script>alert(",
    "<img src=x onerror=",
    "<svg onload=",
    'href="javascript:',
    "<iframe",
    "<body onload",
    "<details open ontoggle",
    "<mglyph",
)


def assert_no_live_payload(html):
    # Raw markers only: escaped text (&lt;img …) is safe wherever it sits, <title> included.
    for marker in RAW_MARKERS:
        at = html.find(marker)
        assert at < 0, html[max(at - 200, 0) : at + 50]


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"budgets_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


@pytest.mark.parametrize(
    "rule, payload, expected",
    [
        ("points", lambda p: {f"points_{p[0].pk}": "60", f"points_{p[1].pk}": "40"}, {0: 60, 1: 40}),
        ("ranking", lambda p: {f"rank_{p[2].pk}": "1", f"rank_{p[0].pk}": "2"}, {2: 1, 0: 2}),
        ("envelope", lambda p: {"project": [p[0].pk, p[1].pk, p[2].pk]}, {0: 1, 1: 1, 2: 1}),
        ("savings", lambda p: {"project": [p[0].pk, p[2].pk]}, {0: 1, 2: 1}),
    ],
)
def test_each_rule_votes_through_its_page(client, participant, budget, projects, rule, payload, expected):
    Budget.objects.filter(pk=budget.pk).update(
        rule=rule,
        points_total=100,
        points_min=10,
        points_max=70,
        rank_k=3,
        min_percent=90,
        savings_target=60_000,
        max_projects=None,
        min_projects=1,
    )
    client.force_login(participant)
    html = client.get(budget.get_absolute_url()).content.decode()
    assert 'aria-live="polite"' in html
    for project in projects:
        assert (
            f'for="{"points" if rule == "points" else "rank" if rule == "ranking" else "project"}-{project.pk}"' in html
        )
    response = client.post(budget.get_absolute_url(), {**payload(projects), "vote": "1", "confirm": "1"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    ballot = Ballot.objects.get()
    assert {c.project_id: c.value for c in ballot.choices.all()} == {projects[i].pk: v for i, v in expected.items()}


def test_index_project_and_anonymous_pages(client, component, budget, projects):
    html = client.get(component.get_absolute_url()).content.decode()
    assert str(budget) in html
    html = client.get(budget.get_absolute_url()).content.decode()
    assert 'name="project"' not in html and str(projects[0]) in html  # read-only list and the reason
    assert client.get(projects[0].get_absolute_url()).status_code == 200
    other = BudgetFactory(component=component)
    stray = ProjectFactory(budget=other)
    url = reverse("budgets:project", kwargs={**component.url_kwargs(), "budget_id": budget.pk, "project_id": stray.pk})
    assert client.get(url).status_code == 404


def test_unpublished_component_is_hidden(client, participant, component, budget):
    component.published_at = None
    component.save()
    client.force_login(participant)
    assert client.get(budget.get_absolute_url()).status_code == 404


def test_hostile_text_is_escaped(client, participant, component, budget, space_admin):
    from agora.components.budgets import services

    for n, payload in enumerate(PAYLOADS):
        services.save_project(
            actor=space_admin,
            project=Project(
                budget=budget, title={"fr": payload}, description={"fr": payload}, address=payload, cost=10
            ),
        )
    Budget.objects.filter(pk=budget.pk).update(title={"fr": PAYLOADS[0]}, max_projects=None)
    client.force_login(participant)
    for url in [component.get_absolute_url(), budget.get_absolute_url()]:
        assert_no_live_payload(client.get(url).content.decode())
    for project in Project.objects.all():
        assert_no_live_payload(client.get(project.get_absolute_url()).content.decode())
    client.force_login(space_admin)
    for url in [
        admin_url(component),
        admin_url(component, "projects", budget_id=budget.pk),
        admin_url(component, "results", budget_id=budget.pk),
        admin_url(component, "paper", budget_id=budget.pk),
    ]:
        assert_no_live_payload(client.get(url).content.decode())
    csv_export = registry["budgets"].hook(registry["budgets"].exports["csv"])(component).content.decode()
    assert "\n=cmd" not in csv_export and ",=cmd" not in csv_export


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_admin_creates_a_budget_and_a_project_with_checked_files(client, space_admin, component, organization):
    client.force_login(space_admin)
    response = client.post(
        admin_url(component, "budget_create"),
        {
            "title__fr": "Jeunesse",
            "title__en": "",
            "description__fr": "",
            "description__en": "",
            "envelope": "300000",
            "weight": "0",
            "rule": "points",
            "min_projects": "0",
            "max_projects": "",
            "min_percent": "0",
            "max_per_category": "",
            "points_total": "100",
            "points_min": "5",
            "points_max": "50",
            "rank_k": "3",
            "savings_target": "0",
            "method": "mes",
            "completion": "add1",
            "scope": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    budget = Budget.objects.get(title__fr="Jeunesse")
    assert budget.method == "mes" and budget.points_max == 50
    data = {
        "title__fr": "Skatepark",
        "title__en": "",
        "description__fr": "<p>Ok</p><script>x</script>",
        "description__en": "",
        "image_alt__fr": "",
        "image_alt__en": "",
        "cost": "45000",
        "category": "",
        "scope": "",
        "address": "",
        "latitude": "",
        "longitude": "",
        "weight": "0",
        "document_title": "Plan",
    }
    fake = SimpleUploadedFile("plan.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(admin_url(component, "project_create", budget_id=budget.pk), {**data, "document": fake})
    assert response.status_code == 200 and not Project.objects.filter(budget=budget).exists()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")
    image = SimpleUploadedFile("photo.png", png(), content_type="image/png")
    response = client.post(
        admin_url(component, "project_create", budget_id=budget.pk), {**data, "document": pdf, "image": image}
    )
    assert response.status_code == 200  # the image needs a description
    pdf.seek(0), image.seek(0)
    response = client.post(
        admin_url(component, "project_create", budget_id=budget.pk),
        {**data, "document": pdf, "image": image, "image_alt__fr": "Une rampe"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    project = Project.objects.get(budget=budget)
    assert "<script>" not in project.description["fr"] and project.image
    assert ProjectDocument.objects.get(project=project).title == "Plan"


def test_budget_choice_setting_is_offered_in_the_component_settings():
    names = {s.name for s in registry["budgets"].settings}
    assert {"budget_choice", "validation"} <= names
    assert {s.name for s in registry["budgets"].phase_settings} == {"votes_enabled", "comments_blocked"}


def test_project_page_shows_the_place_on_a_map(client, budget):
    project = ProjectFactory(budget=budget, address="1 place de la Mairie", latitude="47.9", longitude="1.9")
    html = client.get(project.get_absolute_url()).content.decode()
    assert 'id="project-map"' in html and "leaflet/leaflet.js" in html and "1 place de la Mairie" in html
    assert "openstreetmap.org/?mlat=47.9" in html


def test_without_javascript_a_ballot_over_the_envelope_says_by_how_much(client, participant, component):
    """Issue 14, item 5, without JavaScript: the server renders the meter over the limit
    ("6 000 € de trop", never "-6000") and the reason next to the vote button."""
    import re

    budget = BudgetFactory(
        component=component, rule="envelope", envelope=30_000, min_projects=1, max_projects=None, min_percent=0
    )
    first, second = ProjectFactory(budget=budget, cost=20_000), ProjectFactory(budget=budget, cost=16_000)
    client.force_login(participant)
    response = client.post(budget.get_absolute_url(), {"project": [first.pk, second.pk], "vote": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    meter = html[html.index('id="budget-meter"') : html.index('id="ballot-refusal"')]
    flat = re.sub(r"[\s\u202f\xa0]|&nbsp;", "", meter)
    assert "6000€detrop" in flat and "-6" not in flat and "budget-meter-w100" in meter
    refusal = html[html.index('id="ballot-refusal"') :]
    refusal = refusal[: refusal.index("</p>")]
    assert "hidden" not in refusal.split(">")[0] and "de plus que l’enveloppe" in refusal
    assert 'aria-describedby="ballot-refusal" aria-disabled="true"' in html
    assert not Ballot.objects.filter(budget=budget).exists()


def test_the_budget_page_is_built_from_the_page_parts(client, participant, component, budget, projects):
    """Without a vote open to the visitor, the projects are cards (the card part:
    category, cost, a call to the project's page); with one, the ballot's buttons
    and messages are the button and alert parts."""
    category = factories.CategoryFactory(organization=component.space.organization, name={"fr": "Sport"})
    projects[0].category = category
    projects[0].save()
    html = client.get(budget.get_absolute_url()).content.decode()
    assert html.count('<li class="card">') == len(projects)
    assert '<p class="card-category">Sport</p>' in html and "card-illustration" in html
    assert '<div class="alert alert-warning">' in html  # why the visitor cannot vote
    client.force_login(participant)
    html = client.get(budget.get_absolute_url()).content.decode()
    ballot = html[html.index('<form method="post" class="budget-ballot"') :]
    ballot = ballot[: ballot.index("</form>")]
    assert re.search(r'<button type="submit" class="button button-secondary" name="check" value="1">', ballot)
    assert re.search(
        r'<button type="submit" class="button" name="vote" value="1" aria-describedby="ballot-refusal">', ballot
    )
    assert '<span class="badge badge-muted">Sport</span>' in ballot
    response = client.post(budget.get_absolute_url(), {"project": [projects[1].pk], "check": "1"})
    assert '<div class="alert alert-success" role="status">' in response.content.decode()
