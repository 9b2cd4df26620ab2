from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """Follow-up of results: what became of the ideas and the voted projects."""

    name = "agora.components.accountability"
    label = "accountability"
    verbose_name = "Follow-up of results"

    def ready(self):
        from agora.components.accountability import rules  # noqa: F401  (registers the permission rules)
