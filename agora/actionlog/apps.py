from django.apps import AppConfig


class ActionLogConfig(AppConfig):
    name = "agora.actionlog"
    label = "actionlog"
    verbose_name = "Action log"
