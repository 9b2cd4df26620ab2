from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ComponentsConfig(AppConfig):
    name = "agora.components"
    label = "components"
    verbose_name = "Components"

    def ready(self):
        # Each component app declares its manifest in component.py; the core
        # discovers them and never imports a component by name.
        autodiscover_modules("component")
        from agora.components.access import load_component_target
        from agora.web.access import register_target

        register_target("component", load_component_target)
