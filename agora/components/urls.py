"""Mounts every registered component under its space.

Public:  /<processes|assemblies>/<space slug>/f/<component id>/...
Admin:   /admin/spaces/<space id>/components/<component id>/...
Site:    pages outside any space a manifest declares (`site_urls`: /agenda/)

All component types share the same prefix; a path converter per type only
matches ids of components of that type, so Django's resolver picks the
right app and `reverse("news:index", kwargs=...)` works as usual."""

from importlib import import_module

from django.urls import include, path, register_converter

from agora.components import embeds
from agora.components.models import Component
from agora.components.registry import registry

_manifest_of_component: dict[int, str] = {}


def manifest_name_of(component_id: int) -> str | None:
    # A component never changes type, so remembering the answer per process
    # is safe across processes and machines.
    if component_id not in _manifest_of_component:
        name = Component.objects.filter(pk=component_id).values_list("manifest_name", flat=True).first()
        if name is None:
            return None
        _manifest_of_component[component_id] = name
    return _manifest_of_component[component_id]


def _converter_for(manifest_name: str):
    class ComponentIdConverter:
        regex = "[0-9]+"

        def to_python(self, value):
            if manifest_name_of(int(value)) != manifest_name:
                raise ValueError
            return int(value)

        def to_url(self, value):
            return str(value)

    ComponentIdConverter.__name__ = f"ComponentId_{manifest_name}"
    return ComponentIdConverter


class SpaceKindConverter:
    regex = "processes|assemblies"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SpaceKindConverter, "spacekind")


def public_patterns():
    patterns = []
    for manifest in registry.all():
        register_converter(_converter_for(manifest.name), f"component_{manifest.name}")
        if manifest.public_urls:
            patterns.append(
                path(
                    f"<spacekind:space_kind>/<slug:space_slug>/f/<component_{manifest.name}:component_id>/",
                    include((_with_embed(manifest), manifest.name)),
                )
            )
    return patterns


def _with_embed(manifest) -> list:
    """The component's own URLs, after the embeddable card's when its manifest
    declares one (`embed`): <resource id>/embed/ and embed/."""
    own = list(import_module(manifest.public_urls).urlpatterns)
    if not manifest.embed:
        return own
    return [
        path("<int:resource_id>/embed/", embeds.embed, name="embed"),
        path("embed/", embeds.embed, name="embed_component"),
        *own,
    ]


def site_patterns():
    """Pages a component type adds at the site's root, outside any space
    (the meetings' global agenda, /agenda/), namespace "<name>_site"."""
    return [
        path("", include((manifest.site_urls, f"{manifest.name}_site")))
        for manifest in registry.all()
        if manifest.site_urls
    ]


def admin_patterns():
    patterns = []
    for manifest in registry.all():
        if manifest.admin_urls:
            patterns.append(
                path(
                    f"spaces/<int:space_id>/components/<component_{manifest.name}:component_id>/",
                    include((manifest.admin_urls, f"{manifest.name}_admin")),
                )
            )
    return patterns
