from django.apps import AppConfig

# The kind of participation statistics count: joining an opinion map (the first vote).
OPINION = "opinion"


class OpinionsConfig(AppConfig):
    name = "agora.components.opinions"
    label = "opinions"
    verbose_name = "Opinion maps"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from agora.components.opinions import rules  # noqa: F401  (permission rules)
        from agora.statistics import api as statistics

        statistics.register_kind(OPINION, _("Opinion maps joined"))
