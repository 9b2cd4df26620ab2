from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "agora.follows"
    label = "follows"
    verbose_name = "Follows"

    def ready(self):
        from agora.follows import rules  # noqa: F401  (registers the permission rules)
