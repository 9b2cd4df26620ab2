"""Reads of the public API's core: the organization, its spaces and phases, the
components any visitor may read, and the staff tokens."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from agora.accounts.models import User
from agora.api.models import ApiToken
from agora.components.models import Component
from agora.components.registry import registry
from agora.core.models import Organization
from agora.spaces.models import Phase, Space
from agora.spaces.selectors import listed_spaces
from agora.taxonomy.models import Category, Scope


def public_spaces(organization: Organization) -> QuerySet[Space]:
    """The spaces an anonymous visitor sees in the lists (the same selector as the
    processes' and assemblies' pages), both kinds, with their phases."""
    anonymous = AnonymousUser()
    processes = listed_spaces(organization, anonymous, Space.Kind.PROCESS)
    assemblies = listed_spaces(organization, anonymous, Space.Kind.ASSEMBLY)
    return (
        Space.objects.filter(
            pk__in=[
                *processes.order_by().values_list("pk", flat=True),
                *assemblies.order_by().values_list("pk", flat=True),
            ]
        )
        .select_related("scope", "parent")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("position", "id")))
    )


def public_components(organization: Organization, manifest_name: str | None = None) -> QuerySet[Component]:
    """Published components of a registered type in the spaces any visitor may read."""
    components = Component.objects.published().filter(
        space__in=Space.objects.filter(organization=organization).readable_by_anyone(),
        manifest_name__in=[manifest.name for manifest in registry.all()],
    )
    if manifest_name is not None:
        components = components.filter(manifest_name=manifest_name)
    return components.select_related("space")


def category_tree(organization: Organization) -> dict[int, int | None]:
    """The organization's categories: {id: id of its parent, or None}."""
    return dict(Category.objects.filter(organization=organization).values_list("pk", "parent_id"))


def scope_ids(organization: Organization) -> frozenset[int]:
    return frozenset(Scope.objects.filter(organization=organization).values_list("pk", flat=True))


def tokens_of(user: User, organization: Organization) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, organization=organization)


def scopes() -> list[tuple[str, str]]:
    """Every scope a token may be given: those the components' manifests declare."""
    return [(name, str(label)) for manifest in registry.all() for name, label in manifest.api_scopes]
