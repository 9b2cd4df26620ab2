from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "agora.components.proposals"
    label = "proposals"
    verbose_name = "Proposals"
