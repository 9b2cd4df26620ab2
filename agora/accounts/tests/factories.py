import secrets

import factory

from agora.accounts.models import Invitation
from agora.testing.factories import OrganizationFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
