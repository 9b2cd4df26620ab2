from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "agora.conversations"
    label = "conversations"
    verbose_name = "Private conversations"

    def ready(self):
        from agora.accounts import erasure
        from agora.conversations.erasure import erase_account

        erasure.register(erase_account)
        from agora import visitor
        from agora.conversations import events, rules  # noqa: F401  (permission rules, notification events)
        from agora.conversations.selectors import unread_columns

        visitor.register("conversations.unread", unread_columns)
