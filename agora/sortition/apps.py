from django.apps import AppConfig


class SortitionConfig(AppConfig):
    name = "agora.sortition"
    label = "sortition"
    verbose_name = "Sortition"
