from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "agora.conversations"
    label = "conversations"
    verbose_name = "Private conversations"

    def ready(self):
        from agora.conversations import rules  # noqa: F401  (registers the permission rules)
