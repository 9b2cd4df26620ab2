from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "agora.components.budgets"
    label = "budgets"
    verbose_name = "Budgets"
