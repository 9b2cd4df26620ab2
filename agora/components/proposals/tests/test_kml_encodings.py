"""KML is parsed by a hardened parser whatever its encoding (finding 13): the
old filter looked for "<!DOCTYPE" in the raw bytes, which UTF-16 hides."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agora.components.proposals.kml import kml_to_geojson
from agora.components.proposals.models import MapLayer
from agora.components.proposals.tests.test_setup import KML

LAUGHS = (
    '<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE kml [\n<!ENTITY a0 "ha">\n'
    + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">\n' for n in range(1, 8))
    + ']>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&a7;</name>'
    "<Point><coordinates>1.1,47.5</coordinates></Point></Placemark></Document></kml>"
)
UTF16_ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be"]


def _encoded(text: str, codec: str) -> bytes:
    declared = {"utf-16": "UTF-16", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE"}[codec]
    return text.replace('encoding="UTF-8"', f'encoding="{declared}"').format(encoding=declared).encode(codec)


@pytest.mark.parametrize("codec", UTF16_ENCODINGS)
def test_a_utf16_billion_laughs_is_refused_with_a_clear_message(codec):
    data = _encoded(LAUGHS, codec)
    assert b"<!DOCTYPE" not in data  # what the old byte filter looked for
    with pytest.raises(ValidationError) as refused:
        kml_to_geojson(data)
    assert "refused for safety" in refused.value.messages[0]


@pytest.mark.parametrize("codec", UTF16_ENCODINGS)
def test_a_normal_utf16_kml_still_works(codec):
    data = kml_to_geojson(_encoded(KML.decode(), codec))
    assert [f["properties"]["name"] for f in data["features"]] == ["Centre", "Gare"]


def test_an_external_entity_in_utf16_is_refused():
    data = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<kml><Placemark><name>&x;</name></Placemark></kml>"
    ).encode("utf-16")
    with pytest.raises(ValidationError):
        kml_to_geojson(data)


def test_an_unknown_encoding_is_a_clear_refusal():
    with pytest.raises(ValidationError, match="not a readable KML"):
        kml_to_geojson(b'<?xml version="1.0" encoding="x-nothing"?><kml/>')


def test_the_upload_page_answers_with_the_message(client, org_admin, process):
    from agora.components.proposals.tests.factories import ProposalsComponentFactory

    component = ProposalsComponentFactory(space=process)
    client.force_login(org_admin)
    url = reverse("proposals_admin:setup_layers", kwargs={"space_id": process.pk, "component_id": component.pk})
    response = client.post(
        url, {"name__fr": "Quartiers", "file": SimpleUploadedFile("q.kml", _encoded(LAUGHS, "utf-16"))}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "refusés par sécurité" in page or "refused for safety" in page
    assert not MapLayer.objects.exists()
