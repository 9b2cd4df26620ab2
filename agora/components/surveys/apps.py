from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "agora.components.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self):
        from agora.components.surveys import rules  # noqa: F401  (permission rules)
        from agora.components.surveys.rules import register_owner

        register_owner()
