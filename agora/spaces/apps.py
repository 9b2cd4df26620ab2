from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "agora.spaces"
    label = "spaces"
    verbose_name = "Participatory spaces"
