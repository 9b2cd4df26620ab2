from django.apps import AppConfig


class ActionLogConfig(AppConfig):
    name = "agora.actionlog"
    label = "actionlog"
    verbose_name = "Action log"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's sentences for its verbs (agora.actionlog.wording).
        autodiscover_modules("log_words")
