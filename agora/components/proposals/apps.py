from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "agora.components.proposals"
    label = "proposals"
    verbose_name = "Proposals"

    def ready(self):
        from agora.components.proposals import integrations, rules  # noqa: F401  (registers the permission rules)

        integrations.register()
