"""The budget page in a real browser: the projects on a map beside the ballot
and the same places as a list, their images, under the strict
Content-Security-Policy, with no axe violation at 1280 and 390 px."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from playwright.sync_api import expect

from agora.components.budgets import services
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.core.translations import tr
from agora.demo.pictures import draw_scene
from agora.e2e.crawl import axe_violations
from agora.spaces.models import Role
from agora.testing import factories

PLACES = [
    ("Skatepark", "40 avenue de la Gare", "47.497310", "1.108870"),
    ("Verger partagé", "Square Moulin", "47.505200", "1.108600"),
    ("Boîte à livres", "Médiathèque", "47.501820", "1.101240"),
]


@pytest.fixture
def budget(transactional_db, settings):
    settings.AGORA_SERVE_MEDIA = True  # the projects' images, as in the demo
    organization = factories.OrganizationFactory(host="localhost", name="Belleville-sur-Loire")
    factories.TermsVersionFactory(organization=organization, version=1)
    space = factories.SpaceFactory(organization=organization)
    phase = factories.PhaseFactory(space=space, is_active=True)
    component = factories.ComponentFactory(
        space=space,
        manifest_name="budgets",
        name={"fr": "Budget"},
        settings={},
        phase_settings={str(phase.pk): {"votes_enabled": True}},
    )
    budget = BudgetFactory(component=component, envelope=100_000, min_projects=1, max_projects=2)
    officer = factories.UserFactory()
    factories.member_of(officer, organization)
    Role.objects.create(user=officer, organization=organization, space=space, name=Role.Name.SPACE_ADMIN)
    for title, address, lat, lng in PLACES:
        project = ProjectFactory(
            budget=budget,
            title=tr(title, title),
            address=address,
            latitude=Decimal(lat),
            longitude=Decimal(lng),
            cost=30_000,
        )
        project.image_alt = tr(f"Photo : {title}", f"Photo: {title}")
        services.save_project(
            actor=officer,
            project=project,
            image=SimpleUploadedFile("photo.jpg", draw_scene("orchard", title), content_type="image/jpeg"),
        )
    ProjectFactory(budget=budget, title=tr("Sans lieu", "Nowhere"), cost=20_000)
    return budget


def _voter(page, live_server, organization):
    person = factories.UserFactory()
    factories.member_of(person, organization)
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_budget_page_shows_the_map_beside_the_ballot_and_the_list(page, live_server, budget, width):
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    page.set_viewport_size({"width": width, "height": 900})
    _voter(page, live_server, budget.component.space.organization)
    page.goto(live_server.url + budget.get_absolute_url())

    ballot, aside = page.locator("#ballot"), page.locator("aside.budget-side")
    page.locator("#budget-map .budget-marker").first.wait_for()
    assert page.locator("#budget-map").is_visible()
    assert page.locator("#budget-map .budget-marker").count() == len(PLACES)
    assert page.locator(".budget-places li").all_inner_texts() == [
        f"{title} — {address}" for title, address, _lat, _lng in PLACES
    ]
    ballot_box, aside_box = ballot.bounding_box(), aside.bounding_box()
    if width >= 1000:  # beside the ballot
        assert aside_box["x"] >= ballot_box["x"] + ballot_box["width"] - 1
    else:  # below it, full width
        assert aside_box["y"] >= ballot_box["y"] + ballot_box["height"] - 1
    # The projects' images: loaded, with their description, and their place kept before loading.
    thumbnails = page.locator("#ballot img.budget-project-picture")
    assert thumbnails.count() == len(PLACES)
    assert thumbnails.first.get_attribute("alt") == "Photo : Skatepark"
    assert thumbnails.first.get_attribute("width") and thumbnails.first.get_attribute("loading") == "lazy"

    # A marker is a button: Enter opens its popup, whose link is the project's title as text.
    marker = page.locator("#budget-map .budget-marker").first
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert popup.inner_text() == "Skatepark"
    # axe reads colours as shown: wait for the popup's fade-in to end.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")

    assert axe_violations(page) == []


def test_without_located_projects_there_is_no_map_and_no_violation(page, live_server, budget):
    budget.projects.update(latitude=None, longitude=None)
    page.goto(live_server.url + budget.get_absolute_url())
    assert page.locator("#budget-map").count() == 0
    assert page.locator("main .card-picture").count() == len(PLACES)  # the cards of a visitor
    assert axe_violations(page) == []
