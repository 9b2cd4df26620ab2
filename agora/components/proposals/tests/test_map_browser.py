"""The ideas' map in a real browser: a KML layer's name is shown as text in
its tooltip, never parsed as markup (finding 4 of issue 13)."""

import pytest

from agora.components.proposals.models import MapLayer
from agora.testing import factories
from agora.testing.xss import PAYLOADS

from .factories import ProposalFactory, ProposalsComponentFactory

pytestmark = [pytest.mark.browser]

SQUARE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[1.0, 47.4], [1.2, 47.4], [1.2, 47.6], [1.0, 47.6], [1.0, 47.4]]],
            },
        }
    ],
}


def test_a_layer_name_is_text_in_its_tooltip(page, live_server, transactional_db):
    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    component = ProposalsComponentFactory(space=factories.SpaceFactory(organization=organization))
    ProposalFactory(component=component, latitude="47.5", longitude="1.1", title="Au centre")
    payload = PAYLOADS[1]  # <img src=x onerror=...>
    MapLayer.objects.create(component=component, name={"fr": payload, "en": payload}, geojson=SQUARE)
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())

    page.goto(live_server.url + component.get_absolute_url() + "map/")
    page.locator("#ideas-map path.leaflet-interactive").first.wait_for()
    page.locator("#ideas-map").scroll_into_view_if_needed()
    box = page.locator("#ideas-map").bounding_box()
    # Inside the layer, away from the marker (centre) and the controls (corners).
    page.mouse.move(box["x"] + box["width"] / 4, box["y"] + box["height"] / 4)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == payload
    assert tooltip.locator("img, svg, script").count() == 0


def test_find_on_the_map_fills_the_coordinates_or_says_it_was_not_found(page, live_server, transactional_db):
    from django.test import Client

    organization = factories.OrganizationFactory(host="localhost", name="Belleville-sur-Loire")
    factories.TermsVersionFactory(organization=organization, version=1)
    component = ProposalsComponentFactory(
        space=factories.SpaceFactory(organization=organization), settings={"geolocation_mode": "optional"}
    )
    person = factories.UserFactory()
    factories.member_of(person, organization)
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(live_server.url + component.get_absolute_url() + "new/")

    page.fill("#id_address", "12 rue des Lilas")
    page.click("button.geocode-button")
    status = page.locator(".geocode-status")
    status.filter(has_text="Trouvé").wait_for()
    assert "12 Rue des Lilas, 45000 Belleville-sur-Loire" in status.inner_text()
    assert page.input_value("#id_latitude").startswith("47.50")
    assert page.input_value("#id_longitude").startswith("1.")
    assert page.locator("#pin-map .leaflet-marker-icon").count() == 1  # the pin moved there

    page.fill("#id_address", "Rue de Nulle-Part")
    page.click("button.geocode-button")
    status.filter(has_text="Nulle-Part").wait_for()
    assert "n'a pas été trouvée" in status.inner_text()
