from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "agora.components.news"
    label = "news"
    verbose_name = "News"
