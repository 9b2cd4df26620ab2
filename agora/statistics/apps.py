from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "agora.statistics"
    label = "statistics"
    verbose_name = "Statistics"

    def ready(self):
        from agora.core import home
        from agora.statistics import home_blocks, rules  # noqa: F401  (permission rules)

        home.register_kind(home_blocks.PARTICIPATION_FIGURES)
