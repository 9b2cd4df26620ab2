from django.apps import AppConfig


class TallyConfig(AppConfig):
    name = "agora.tally"
    label = "tally"
    verbose_name = "Counting"
