from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "agora.api"
    label = "api"
    verbose_name = "Public API"

    def ready(self):
        from agora.api import rules  # noqa: F401  (registers the tokens' permission rules)
