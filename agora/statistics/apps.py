from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "agora.statistics"
    label = "statistics"
    verbose_name = "Statistics"

    def ready(self):
        from agora.accounts import erasure
        from agora.core import home
        from agora.statistics import home_blocks, rules  # noqa: F401  (permission rules)
        from agora.statistics.services import erase_account

        home.register_kind(home_blocks.PARTICIPATION_FIGURES)
        erasure.register(erase_account)
