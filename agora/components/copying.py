"""Copying a space for its next edition (agora.spaces.copying): its
components, with their settings, their settings per phase (moved to the
copied phases), each component type's configuration (the manifest's `copy`
hook) and what the cross-cutting layers copy of each (copy extensions, such
as eligibility rules). Registered by ComponentsConfig.ready, since spaces
never import components."""

from django.utils import timezone

from agora.components.models import Component
from agora.components.registry import copy_extensions


def copy_components(source, copy, phase_ids: dict[int, int]) -> dict[int, int]:
    """Copies the components of space `source` into `copy`; returns
    {source component id: copied component id}."""
    component_ids: dict[int, int] = {}
    now = timezone.now()
    for component in source.components.order_by("weight", "id"):
        new = Component.objects.create(
            space=copy,
            manifest_name=component.manifest_name,
            name=component.name,
            weight=component.weight,
            settings=dict(component.settings or {}),
            phase_settings={
                str(phase_ids[int(key)]): dict(values)
                for key, values in (component.phase_settings or {}).items()
                if key.isdigit() and int(key) in phase_ids
            },
            published_at=now if component.is_published else None,
        )
        component_ids[component.pk] = new.pk
        manifest = component.manifest
        if manifest is not None and manifest.copy:
            manifest.hook(manifest.copy)(component, new)
        for extension in copy_extensions():
            extension(component, new)
    return component_ids
