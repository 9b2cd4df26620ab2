from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "agora.follows"
    label = "follows"
    verbose_name = "Follows"
