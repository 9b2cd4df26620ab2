import factory
from django.utils import timezone

from agora.components.proposals.models import CustomField, Proposal, ProposalState
from agora.components.proposals.text import search_text
from agora.core.translations import tr
from agora.testing import factories


class ProposalsComponentFactory(factories.ComponentFactory):
    manifest_name = "proposals"
    name = factory.LazyFunction(lambda: tr("Idées", "Ideas"))


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    component = factory.SubFactory(ProposalsComponentFactory)
    author = factory.SubFactory(factories.UserFactory)
    title = factory.Sequence(lambda n: f"Idée numéro {n}")
    body = "Une description assez longue de cette idée pour la ville."
    status = Proposal.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(lambda o: search_text(o.title, o.body))


class CustomFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomField

    component = factory.SubFactory(ProposalsComponentFactory)
    key = factory.Sequence(lambda n: f"field{n}")
    label = factory.LazyFunction(lambda: tr("Question", "Question"))
    kind = CustomField.Kind.TEXT


class ProposalStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalState

    component = factory.SubFactory(ProposalsComponentFactory)
    token = factory.Sequence(lambda n: f"state{n}")
    name = factory.LazyFunction(lambda: tr("Retenu", "Selected"))
    colour = "#1d7f3a"
