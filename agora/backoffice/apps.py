from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "agora.backoffice"
    label = "backoffice"
    verbose_name = "Back-office"
