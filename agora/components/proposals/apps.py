from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "agora.components.proposals"
    label = "proposals"
    verbose_name = "Proposals"

    def ready(self):
        from agora.components.proposals import rules  # noqa: F401  (registers the permission rules)
