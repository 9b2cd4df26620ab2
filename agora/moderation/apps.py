from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from agora.moderation import rules  # noqa: F401  (registers the permission rules)
