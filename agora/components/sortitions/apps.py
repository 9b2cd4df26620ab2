from django.apps import AppConfig


class SortitionsConfig(AppConfig):
    name = "agora.components.sortitions"
    label = "sortitions"
    verbose_name = "Sortitions"

    def ready(self):
        from agora.accounts import erasure
        from agora.components.sortitions import log_words, rules  # noqa: F401  (permission rules, log wording)
        from agora.components.sortitions.services import erase_account

        rules.register_owner()
        erasure.register(erase_account)
