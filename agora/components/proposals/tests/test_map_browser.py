"""The ideas' map in a real browser: a KML layer's name is shown as text in
its tooltip, never parsed as markup (finding 4 of issue 13)."""

import pytest

from agora.components.proposals.models import MapLayer
from agora.testing import factories
from agora.testing.xss import PAYLOADS

from .factories import ProposalFactory, ProposalsComponentFactory

pytestmark = [pytest.mark.browser]

SQUARE = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {},
    "geometry": {"type": "Polygon", "coordinates": [[[1.0, 47.4], [1.2, 47.4], [1.2, 47.6], [1.0, 47.6], [1.0, 47.4]]]},
}]}


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
