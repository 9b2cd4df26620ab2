"""Text that officers type and participants see as part of a page's
machinery, not as content: help texts of the idea form's custom fields
(finding 2 of issue 13) and the names of the map's KML layers (finding 4).
Every payload of the corpus must stay text."""

from pathlib import Path

from django.conf import settings
from django.utils.html import escape

from agora.components.proposals.models import CustomField, MapLayer
from agora.testing.xss import PAYLOADS, assert_no_live_payload

from .factories import CustomFieldFactory, ProposalFactory
from .test_views import url

HOSTILE = [payload for payload in PAYLOADS if "xss-" in payload]


def test_help_texts_of_custom_fields_are_text_on_the_idea_form(client, component, participant):
    kinds = list(CustomField.Kind)
    for number, payload in enumerate(HOSTILE):
        kind = kinds[number % len(kinds)]
        CustomFieldFactory(
            component=component,
            key=f"field{number}",
            kind=kind,
            help_text={"fr": payload, "en": payload},
            label={"fr": "Question", "en": "Question"},
            choices=[{"value": "a", "label": {"fr": "A", "en": "A"}}] if kind == "choice" else [],
        )
    client.force_login(participant)
    for response, status in (
        (client.get(url(component, "create")), 200),
        (client.post(url(component, "create"), {"title": "x"}), 400),
    ):  # with errors
        content = response.content.decode()
        assert response.status_code == status and "helptext" in content
        assert_no_live_payload(content)
        for payload in HOSTILE:
            assert escape(payload) in content


def test_kml_layer_names_reach_the_map_as_json_data(client, component):
    """The page hands layer names to the script only as JSON data (no markup
    can close the <script>), and the script shows them as text."""
    ProposalFactory(component=component, latitude="47.5", longitude="1.1")
    for payload in HOSTILE:
        MapLayer.objects.create(
            component=component,
            name={"fr": payload, "en": payload},
            geojson={"type": "FeatureCollection", "features": []},
        )
    content = client.get(url(component, "map")).content.decode()
    assert_no_live_payload(content)
    assert "map-layers" in content


def test_the_map_script_gives_leaflet_the_layer_name_as_a_text_node():
    """Leaflet's bindTooltip inserts a string as HTML: the script builds a
    node with textContent (agora/core/tests/test_markup_allow_list.py lists
    every HTML sink of Agora's scripts; the browser test runs it)."""
    script = (Path(settings.BASE_DIR) / "agora/components/proposals/static/proposals/proposals.js").read_text()
    assert "bindTooltip(layer.name)" not in script
    assert "name.textContent = layer.name;" in script and "drawn.bindTooltip(name);" in script
