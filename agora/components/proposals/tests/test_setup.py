import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agora.components.proposals import hooks, selectors
from agora.components.proposals.kml import kml_to_geojson
from agora.components.proposals.models import MapLayer, Proposal
from agora.testing import factories

KML = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Centre</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
1.10,47.50 1.11,47.50 1.11,47.51 1.10,47.50</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Gare</name><Point><coordinates>1.109,47.497,0</coordinates></Point></Placemark>
</Document></kml>"""

BOMB = b"""<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&b;</name></Placemark></kml>"""


def test_kml_becomes_geojson():
    data = kml_to_geojson(KML)
    assert [f["geometry"]["type"] for f in data["features"]] == ["Polygon", "Point"]
    assert data["features"][0]["properties"]["name"] == "Centre"


@pytest.mark.parametrize(
    "payload", [BOMB, b"<kml><Placemark>", b"<html></html>", b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><kml/>']
)
def test_unsafe_or_broken_kml_is_refused(payload):
    with pytest.raises(ValidationError):
        kml_to_geojson(payload)


def _admin_url(component, name, **kwargs):
    return reverse(
        f"proposals_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def test_officer_uploads_a_layer_drawn_on_the_map(client, component, org_admin):
    client.force_login(org_admin)
    response = client.post(
        _admin_url(component, "setup_layers"), {"name__fr": "Quartiers", "file": SimpleUploadedFile("q.kml", KML)}
    )
    assert response.status_code == 302
    layer = MapLayer.objects.get(component=component)
    page = client.get(reverse("proposals:map", kwargs=component.url_kwargs())).content.decode()
    assert "Quartiers" in page and "Centre" in page
    response = client.post(
        _admin_url(component, "setup_layers"), {"name__fr": "Piège", "file": SimpleUploadedFile("q.kml", BOMB)}
    )
    assert response.status_code == 400 and MapLayer.objects.count() == 1
    client.post(_admin_url(component, "setup_layer_delete", maplayer_id=layer.pk))
    assert not MapLayer.objects.exists()


def test_officer_chooses_the_categories_offered(client, component, org_admin, participant):
    organization = component.space.organization
    kept, other = (
        factories.CategoryFactory(organization=organization),
        factories.CategoryFactory(organization=organization),
    )
    client.force_login(org_admin)
    response = client.post(_admin_url(component, "setup_taxonomy"), {"categories": [kept.pk]})
    assert response.status_code == 302
    assert selectors.offered_categories(component) == [kept]
    client.force_login(participant)
    assert client.get(_admin_url(component, "setup_taxonomy")).status_code == 403
    page = client.get(reverse("proposals:create", kwargs=component.url_kwargs())).content.decode()
    assert str(kept) in page and str(other) not in page


def test_seed_and_hooks(component):
    hooks.seed(component)
    assert Proposal.objects.filter(component=component).count() == 15
    labels = dict((str(label), value) for label, value in hooks.stats(component))
    assert labels["Published ideas"] >= 13
    assert len(hooks.search(component)) == 15
