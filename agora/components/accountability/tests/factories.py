from decimal import Decimal

import factory

from agora.components.accountability.models import Milestone, Result, Status
from agora.core.translations import tr
from agora.testing.factories import ComponentFactory


class StatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Status

    component = factory.SubFactory(ComponentFactory, manifest_name="accountability")
    token = factory.Sequence(lambda n: f"statut-{n}")
    name = factory.Sequence(lambda n: tr(f"Statut {n}", f"Status {n}"))


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    component = factory.SubFactory(ComponentFactory, manifest_name="accountability")
    title = factory.Sequence(lambda n: tr(f"Résultat {n}", f"Result {n}"))
    description = factory.LazyFunction(lambda: tr("<p>Description</p>", "<p>Description</p>"))
    progress = Decimal("0")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    result = factory.SubFactory(ResultFactory)
    date = factory.Faker("date_object")
    title = factory.Sequence(lambda n: tr(f"Étape {n}", f"Step {n}"))
