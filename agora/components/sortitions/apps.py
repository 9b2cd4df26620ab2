from django.apps import AppConfig


class SortitionsConfig(AppConfig):
    name = "agora.components.sortitions"
    label = "sortitions"
    verbose_name = "Sortitions"

    def ready(self):
        from agora.components.sortitions import log_words, rules  # noqa: F401  (permission rules, log wording)
