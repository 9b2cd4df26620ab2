from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "agora.follows"
    label = "follows"
    verbose_name = "Follows"

    def ready(self):
        from agora.accounts import erasure
        from agora.follows.erasure import erase_account

        erasure.register(erase_account)
        from agora.follows import rules  # noqa: F401  (registers the permission rules)
