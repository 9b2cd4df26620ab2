from django.apps import AppConfig


class VerificationsConfig(AppConfig):
    name = "agora.verifications"
    label = "verifications"
    verbose_name = "Verifications"
