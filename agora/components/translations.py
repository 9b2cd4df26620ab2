"""The manifests' `translatable` declarations, registered with the machine
translation (agora.core.machine_translation) at start-up: the rows of an
organization are the public rows of each public component of that type."""

from django.utils.module_loading import import_string

from agora.components.models import Component
from agora.components.registry import TranslatableFields
from agora.core.machine_translation import Translatable


def translatable(manifest_name: str, declared: TranslatableFields) -> Translatable:
    def rows(organization):
        hook = import_string(declared.rows)
        components = Component.objects.filter(manifest_name=manifest_name, space__organization=organization)
        for component in components.select_related("space"):
            if component.is_public:
                yield from hook(component)

    return Translatable(model=declared.model, fields=declared.fields, rows=rows, html=declared.html)
