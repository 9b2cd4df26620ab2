from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "agora.components.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives"

    def ready(self):
        from agora.components.initiatives import rules  # noqa: F401  (permission rules)
