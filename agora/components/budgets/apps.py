from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "agora.components.budgets"
    label = "budgets"
    verbose_name = "Budgets"

    def ready(self):
        # The notification events are declared in the manifest (component.py).
        from agora.components.budgets import rules  # noqa: F401  (permission rules)
