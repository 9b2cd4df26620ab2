from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "agora.opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self):
        from agora.opendata import log_words, rules  # noqa: F401  (permission rules, the log's sentences)
