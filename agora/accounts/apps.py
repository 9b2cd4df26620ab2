from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from agora import permissions, visitor
        from agora.accounts import erasure, rules, selectors, services  # noqa: F401  (rules: registers the permission rules)
        from agora.core import services as core_services

        erasure.register(erasure.erase_sign_in_data)
        core_services.register_admin_invitation(services.create_invitation)
        permissions.register_participation_status(selectors.participation_status)
        visitor.register("accounts.participation", selectors.participation_columns, selectors.participation_value)
        visitor.register(
            "accounts.totp",
            selectors.totp_columns,
            lambda values: bool(values[0]),
            wanted=lambda organization: organization.staff_mfa_required,
        )
