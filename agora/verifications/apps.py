from django.apps import AppConfig


class VerificationsConfig(AppConfig):
    name = "agora.verifications"
    label = "verifications"
    verbose_name = "Verifications"

    def ready(self):
        from agora.accounts import erasure
        from agora.verifications.erasure import erase_account

        erasure.register(erase_account)
        from agora import permissions
        from agora.verifications import eligibility, rules  # noqa: F401 (registers the rules)

        permissions.register_eligibility_check(eligibility.check_eligibility)
        permissions.register_account_confirmation(eligibility.account_confirmed_by_verification)
        from agora.components.registry import register_copy_extension
        from agora.verifications.copying import copy_rules

        register_copy_extension(copy_rules)
        from agora import visitor
        from agora.verifications import selectors

        visitor.register("verifications.attributes", selectors.attributes_columns, selectors.attributes_value)
        from agora.core import attention

        attention.register(selectors.attention_items)
