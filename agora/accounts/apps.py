from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from agora.accounts import erasure, rules  # noqa: F401  (registers the permission rules)

        erasure.register(erasure.erase_sign_in_data)
        from agora import visitor
        from agora.accounts import selectors

        visitor.register("accounts.participation", selectors.participation_columns, selectors.participation_value)
        visitor.register("accounts.totp", selectors.totp_columns, lambda values: bool(values[0]),
                         wanted=lambda organization: organization.staff_mfa_required)
