from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "agora.components.budgets"
    label = "budgets"
    verbose_name = "Budgets"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from agora.components.budgets import rules  # noqa: F401  (permission rules)
        from agora.notifications import events

        events.register(
            "budgets.idea_became_project",
            label=_("My idea became a project put to the vote"), personal=True,
            message=_("Your idea became the project “%(target)s”, put to the vote."),
        )
        from agora.components.budgets import notifications

        notifications.register_events()
