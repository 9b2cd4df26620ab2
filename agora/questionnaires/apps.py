from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "agora.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"

    def ready(self):
        from agora.questionnaires import rules  # noqa: F401  (permission rules)
