from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "agora.components.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives"

    def ready(self):
        from agora.accounts import erasure
        from agora.components.initiatives import rules  # noqa: F401  (permission rules)
        from agora.components.initiatives.rules import register_owner
        from agora.components.initiatives.services import erase_signer_answers

        register_owner()
        erasure.register(erase_signer_answers)
