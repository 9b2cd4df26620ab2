from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "agora.components.pages"
    label = "pages"
    verbose_name = "Pages"
