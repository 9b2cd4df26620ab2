from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "agora.conversations"
    label = "conversations"
    verbose_name = "Private conversations"

    def ready(self):
        from agora.conversations import events, rules  # noqa: F401  (permission rules, notification events)
