from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "agora.components.opinions"
    label = "opinions"
    verbose_name = "Opinion maps"

    def ready(self):
        from agora.components.opinions import rules  # noqa: F401  (permission rules)
