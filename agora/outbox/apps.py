from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "agora.outbox"
    label = "outbox"
    verbose_name = "Outbox"

    def ready(self):
        from agora.core import attention
        from agora.outbox import rules  # noqa: F401  (permission rules)
        from agora.outbox.selectors import attention_items

        attention.register(attention_items)
