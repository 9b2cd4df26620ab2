from django.utils import translation

from agora.components.registry import registry


def test_pages_manifest_is_registered_with_its_hooks():
    manifest = registry.get("pages")
    assert manifest is not None
    with translation.override("en"):
        assert str(manifest.label) == "Pages"
    assert manifest.public_urls == "agora.components.pages.urls"
    assert manifest.admin_urls == "agora.components.pages.admin_urls"
    assert manifest.actions == ()
    assert manifest.default_settings() == {"show_table_of_contents": False}
    for dotted in (manifest.stats, manifest.search, manifest.seed, manifest.exports["json"]):
        assert callable(manifest.hook(dotted))


def test_pages_settings_are_cleaned():
    manifest = registry["pages"]
    assert manifest.clean_settings({"show_table_of_contents": "on"}) == {"show_table_of_contents": True}
    assert manifest.clean_settings({"show_table_of_contents": "0"}) == {"show_table_of_contents": False}
    assert manifest.clean_settings({}) == {"show_table_of_contents": False}
    # Pages do not change with phases.
    assert manifest.clean_settings({"anything": 1}, per_phase=True) == {}
