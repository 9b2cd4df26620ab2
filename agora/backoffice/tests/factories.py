"""Factories of the back-office tests (on top of agora.testing.factories)."""

import factory

from agora.spaces.models import AssemblyMember, Role, Space, SpaceMember
from agora.testing import factories


class AssemblyFactory(factories.SpaceFactory):
    kind = Space.Kind.ASSEMBLY
    slug = factory.Sequence(lambda n: f"assembly-{n}")


class AssemblyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssemblyMember

    space = factory.SubFactory(AssemblyFactory)
    full_name = factory.Sequence(lambda n: f"Person {n}")


class SpaceMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpaceMember

    space = factory.SubFactory(factories.SpaceFactory)
    user = factory.SubFactory(factories.UserFactory)


def staff(organization, name=Role.Name.ORGANIZATION_ADMIN, space=None, *, member_of=None):
    """A person with a role; a participant (terms accepted) of `member_of` organizations too."""
    user = factories.UserFactory()
    for org in member_of or [organization]:
        factories.member_of(user, org)
    Role.objects.create(user=user, organization=organization, name=name, space=space)
    return user
