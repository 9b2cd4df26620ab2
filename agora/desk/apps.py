from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "agora.desk"
    label = "desk"
    verbose_name = "Assisted participation"
