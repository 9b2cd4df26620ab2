from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from agora.components.accountability import hooks, selectors, services
from agora.components.accountability.models import MilestonePhoto, Result, Status
from agora.components.proposals.tests.factories import ProposalFactory
from agora.core.translations import tr
from agora.testing import factories
from agora.testing.xss import PAYLOADS

from .conftest import png_bytes
from .factories import MilestoneFactory, ResultFactory, StatusFactory
from .xss import assert_no_live_markup


@pytest.fixture
def seeded(component):
    hooks.seed(component)
    return component


def test_the_seed_makes_a_follow_up_with_statuses_results_and_milestones(seeded):
    assert Status.objects.filter(component=seeded).count() == 4
    assert Result.objects.filter(component=seeded).count() == 7
    parent = Result.objects.get(component=seeded, reference="BP-03")
    assert parent.children.count() == 2
    assert parent.progress == Decimal("65.00")  # (100 + 30) / 2
    assert parent.milestones.exists()


def test_the_overview_shows_progress_as_text_and_as_progress_bars(client, seeded, organization):
    client.cookies["agora_language"] = "fr"
    response = client.get(seeded.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Avancement global" in html
    assert '<progress max="100" value="' in html and 'aria-label="' in html
    assert "100\u202f%" in html  # a narrow no-break space (agora.core.formats.percent)
    # Each result has its link and status in text.
    assert "Un jardin partagé au parc des Tilleuls" in html and "Statut\u00a0:" in html
    # The map comes with its data and the list is the alternative.
    assert 'id="results-map-points"' in html and "leaflet/leaflet.js" in html
    client.cookies["agora_language"] = "en"
    html = client.get(seeded.get_absolute_url() + "?by=scope").content.decode()
    assert "Overall progress" in html and "Whole town" in html and "100%" in html


def test_grouping_by_category_and_by_district(client, component, organization):
    sport = factories.CategoryFactory(organization=organization, name=tr("Sport"))
    north = factories.ScopeFactory(organization=organization, name=tr("Nord", "North"))
    ResultFactory(component=component, category=sport, scope=north, progress=Decimal("40"))
    ResultFactory(component=component, category=sport, progress=Decimal("60"))
    overall, groups, _counts = selectors.overview(component, "category")
    assert overall.progress_percent == 50
    assert [(group.label, group.progress_percent) for group in groups] == [("Sport", 50)]
    with translation.override("fr"):
        overall, groups, _counts = selectors.overview(component, "scope")
    assert [(group.label, group.progress_percent) for group in groups] == [("Nord", 40), ("", 60)]


def test_the_result_page_has_its_timeline_photos_and_origins(client, component, process):
    ideas = factories.ComponentFactory(space=process, manifest_name="proposals")
    idea = ProposalFactory(component=ideas, title="Plus d'arbres")
    status = StatusFactory(component=component, name=tr("Travaux en cours", "Works in progress"))
    result = ResultFactory(component=component, status=status, progress=Decimal("65"))
    result.proposals.add(idea)
    child = ResultFactory(component=component, parent=result, title=tr("Tranche 1"))
    early = MilestoneFactory(result=result, date=timezone.localdate().replace(year=2024), title=tr("Début"))
    MilestoneFactory(result=result, date=timezone.localdate().replace(year=2025), title=tr("Suite"))
    MilestonePhoto.objects.create(
        milestone=early, image=SimpleUploadedFile("p.png", png_bytes()), alt=tr("Le chantier", "The works")
    )
    client.cookies["agora_language"] = "fr"
    html = client.get(result.get_absolute_url()).content.decode()
    assert '<ol class="result-timeline">' in html
    assert html.index("Début") < html.index("Suite")
    assert 'alt="Le chantier"' in html
    assert "65\u202f%" in html and 'value="65"' in html
    assert "Travaux en cours" in html and child.get_absolute_url() in html
    assert idea.get_absolute_url() in html and "Plus d&#x27;arbres" in html


def test_a_draft_idea_is_not_shown_among_the_origins(client, component, process):
    ideas = factories.ComponentFactory(space=process, manifest_name="proposals")
    draft = ProposalFactory(component=ideas, title="Brouillon secret", status="draft")
    result = ResultFactory(component=component)
    result.proposals.add(draft)
    assert "Brouillon secret" not in client.get(result.get_absolute_url()).content.decode()


def test_results_of_another_component_are_not_found(client, component, process):
    other = ResultFactory(component=factories.ComponentFactory(space=process, manifest_name="accountability"))
    url = component.get_absolute_url() + f"{other.pk}/"
    assert client.get(url).status_code == 404


def test_an_unpublished_component_is_hidden(client, component):
    result = ResultFactory(component=component)
    component.published_at = None
    component.save()
    assert client.get(component.get_absolute_url()).status_code == 404
    assert client.get(result.get_absolute_url()).status_code == 404
    assert hooks.search(component) == []


def test_user_text_is_escaped_everywhere(client, component, space_admin, organization):
    for payload in PAYLOADS:
        result = services.create_result(
            actor=space_admin,
            component=component,
            title=tr(payload),
            description=tr(payload),
            address=payload,
            latitude=47,
            longitude=2,
        )
        services.create_milestone(
            actor=space_admin, result=result, date=timezone.localdate(), title=tr(payload), description=tr(payload)
        )
    assert_no_live_markup(client.get(component.get_absolute_url()).content.decode())
    assert_no_live_markup(client.get(result.get_absolute_url()).content.decode())
    client.force_login(space_admin)
    from django.urls import reverse

    url = reverse("accountability_admin:index", kwargs={"space_id": component.space_id, "component_id": component.pk})
    assert_no_live_markup(client.get(url).content.decode())


def _render_tag(obj, user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load accountability %}{% follow_up_for obj %}").render(
        Context({"obj": obj, "request": request})
    )


def test_the_follow_up_for_tag_shows_what_became_of_an_idea(component, process, participant):
    ideas = factories.ComponentFactory(space=process, manifest_name="proposals")
    idea = ProposalFactory(component=ideas)
    assert _render_tag(idea, participant) == ""
    status = StatusFactory(component=component, name=tr("Réalisé", "Completed"))
    result = ResultFactory(component=component, status=status, progress=Decimal("100"), title=tr("Le jardin"))
    result.proposals.add(idea)
    html = _render_tag(idea, participant)
    assert result.get_absolute_url() in html and "Le jardin" in html and 'value="100"' in html
    # A result of an unpublished follow-up is not shown.
    component.published_at = None
    component.save()
    assert _render_tag(idea, participant) == ""


def test_exports_and_search_of_a_public_component(seeded):
    response = hooks.export_csv(seeded)
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,reference,parent_reference")
    assert "Un jardin partagé" in text
    response = hooks.export_json(seeded)
    assert response.status_code == 200 and b"BP-01" in response.content
    assert any("jardin" in title.lower() for title, _text, _url in hooks.search(seeded))
    with translation.override("en"):
        labels = dict((str(label), value) for label, value in hooks.stats(seeded))
    assert labels["Results"] == 7


def test_the_idea_page_itself_shows_what_became_of_it(client, component, process):
    ideas = factories.ComponentFactory(space=process, manifest_name="proposals")
    idea = ProposalFactory(component=ideas)
    result = ResultFactory(component=component, progress=Decimal("40"), title=tr("La piste cyclable"))
    result.proposals.add(idea)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "La piste cyclable" in html and result.get_absolute_url() in html


def test_the_project_page_itself_shows_what_became_of_it(client, component, process):
    from agora.components.budgets.models import Budget, Project

    ballots = factories.ComponentFactory(space=process, manifest_name="budgets")
    budget = Budget.objects.create(component=ballots, title=tr("Ville"), envelope=1000)
    project = Project.objects.create(component=ballots, budget=budget, title=tr("Abri vélo"), cost=100)
    result = ResultFactory(component=component, progress=Decimal("70"), title=tr("Les abris vélos"))
    result.projects.add(project)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Les abris vélos" in html and result.get_absolute_url() in html
