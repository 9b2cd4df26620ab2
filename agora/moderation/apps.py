from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from agora.moderation import events, rules  # noqa: F401  (permission rules, notification events)
