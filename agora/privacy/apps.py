from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "agora.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from agora.privacy import log_words, rules  # noqa: F401  (permission rules, the log's sentences)
