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
        from agora.components import copying, home_blocks, selectors, translations
        from agora.components.access import load_component_target
        from agora.components.registry import registry
        from agora.core import attention, home, machine_translation, search
        from agora.spaces import copying as space_copying
        from agora.web.access import register_target

        register_target("component", load_component_target)
        home.register_kind(home_blocks.KEY_FIGURES)
        for manifest in registry.all():
            for kind in manifest.home_blocks:
                home.register_kind(kind)
        search.register(selectors.search_candidates)
        attention.register(selectors.attention_items)
        space_copying.register_component_copier(copying.copy_components)
        for manifest in registry.all():
            for declared in manifest.translatable:
                machine_translation.register(translations.translatable(manifest.name, declared))
