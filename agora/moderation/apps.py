from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from agora.core import attention, hiding
        from agora.moderation import events, rules  # noqa: F401  (permission rules, notification events)
        from agora.moderation.selectors import attention_items, without_hidden_targets

        hiding.register(without_hidden_targets)
        attention.register(attention_items)
