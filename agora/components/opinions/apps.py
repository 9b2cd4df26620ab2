from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "agora.components.opinions"
    label = "opinions"
    verbose_name = "Opinion maps"
