from django.apps import AppConfig


class VotationsConfig(AppConfig):
    name = "agora.components.votations"
    label = "votations"
    verbose_name = "Citizen votes"

    def ready(self):
        from agora.components.votations import log_words, rules  # noqa: F401  (permission rules, log wording)
