from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "agora.backoffice"
    label = "backoffice"
    verbose_name = "Back-office"

    def ready(self):
        from agora.backoffice import rules  # noqa: F401  (registers permission rules)
        from agora.backoffice.selectors import phases_ending_soon
        from agora.core import attention

        attention.register(phases_ending_soon)
