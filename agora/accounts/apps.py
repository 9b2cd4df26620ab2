from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from agora.accounts import erasure, rules  # noqa: F401  (registers the permission rules)

        erasure.register(erasure.erase_sign_in_data)
