"""Factories for tests (and nothing else)."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from agora.accounts.models import Membership, User
from agora.components.models import Component
from agora.core.models import Organization, TermsVersion
from agora.core.translations import tr
from agora.spaces.models import Phase, Role, Space
from agora.taxonomy.models import Category, Scope, ScopeType


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("host",)

    name = factory.Sequence(lambda n: f"Ville {n}")
    host = factory.Sequence(lambda n: f"ville{n}.example.org")
    available_languages = ["fr", "en"]
    contact_email = "contact@example.org"


class TermsVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsVersion

    organization = factory.SubFactory(OrganizationFactory)
    version = 1
    body = factory.LazyFunction(lambda: tr("<p>Charte de participation</p>", "<p>Participation charter</p>"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    nickname = factory.Sequence(lambda n: f"person{n}")
    name = factory.Faker("name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Verified e-mail by default; UserFactory(verified=False) for a new account."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
        obj.save()


def member_of(user, organization, *, accepted=True):
    """Make the person a participant of the organization who accepted its current terms."""
    current = organization.terms_versions.values_list("version", flat=True).first() or 0
    return Membership.objects.update_or_create(
        user=user,
        organization=organization,
        defaults={"accepted_terms_version": current if accepted else 0, "accepted_terms_at": timezone.now()},
    )[0]


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    organization = factory.SubFactory(OrganizationFactory)
    kind = Space.Kind.PROCESS
    slug = factory.Sequence(lambda n: f"space-{n}")
    title = factory.Sequence(lambda n: tr(f"Processus {n}", f"Process {n}"))
    published_at = factory.LazyFunction(timezone.now)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    space = factory.SubFactory(SpaceFactory)
    title = factory.Sequence(lambda n: tr(f"Phase {n}"))
    position = factory.Sequence(int)


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    space = factory.SubFactory(SpaceFactory)
    manifest_name = "pages"
    name = factory.LazyFunction(lambda: tr("Pages"))
    published_at = factory.LazyFunction(timezone.now)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    organization = factory.SelfAttribute("space.organization")
    space = factory.SubFactory(SpaceFactory)
    name = Role.Name.SPACE_ADMIN


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: tr(f"Catégorie {n}", f"Category {n}"))


class ScopeTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScopeType

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.LazyFunction(lambda: tr("Quartier", "District"))
    plural = factory.LazyFunction(lambda: tr("Quartiers", "Districts"))


class ScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scope

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: tr(f"Quartier {n}", f"District {n}"))
    code = factory.Sequence(lambda n: f"Q{n}")
