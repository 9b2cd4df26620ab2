from django.apps import AppConfig


class DebatesConfig(AppConfig):
    name = "agora.components.debates"
    label = "debates"
    verbose_name = "Debates"

    def ready(self):
        from agora.components.debates import rules  # noqa: F401  (permission rules)
