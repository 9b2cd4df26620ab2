"""Reads of the back-office screens."""

from collections.abc import Iterable
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from agora import permissions
from agora.accounts.models import Membership, User
from agora.actionlog.models import ActionLog
from agora.components import selectors as component_selectors
from agora.components.models import Component
from agora.core.attention import Item
from agora.core.models import Organization
from agora.core.translations import translated
from agora.spaces.models import Phase, Role, Space

SOON = timedelta(days=7)


def spaces_for(user: User, organization: Organization) -> QuerySet[Space]:
    """Spaces the person works on: all for organization admins, else those where they hold a role."""
    spaces = Space.objects.filter(organization=organization)
    if not permissions.is_organization_admin(user, organization):
        spaces = spaces.filter(roles__user=user).distinct()
    return (
        spaces.select_related("group", "parent")
        .annotate(component_count=Count("components", distinct=True), phase_count=Count("phases", distinct=True))
        .order_by("kind", "weight", "id")
    )


def administered_space_ids(user: User, organization: Organization) -> list[int] | None:
    if permissions.is_organization_admin(user, organization):
        return None  # all
    return list(
        Role.objects.filter(user=user, organization=organization, name=Role.Name.SPACE_ADMIN).values_list(
            "space_id", flat=True
        )
    )


def dashboard_counts(organization: Organization) -> dict[str, int]:
    spaces = Space.objects.filter(organization=organization)
    return {
        "processes": spaces.filter(kind=Space.Kind.PROCESS).count(),
        "assemblies": spaces.filter(kind=Space.Kind.ASSEMBLY).count(),
        "participants": Membership.objects.filter(organization=organization).count(),
        "components": Component.objects.filter(space__organization=organization).count(),
    }


def component_stats(components: Iterable[Component]) -> list[tuple[Component, list[tuple[str, int]]]]:
    """[(component, [(label, number)])] from the manifests' statistics hooks,
    the components of a type counted together where the type can
    (components.selectors.stats_of)."""
    components = list(components)
    figures = component_selectors.stats_of(components)
    return [(component, figures[component.pk]) for component in components if component.pk in figures]


def log_entries(
    user: User, organization: Organization, *, space: Space | None = None, verb: str | None = None
) -> QuerySet[ActionLog]:
    """The admin log the person may read: the whole organization for its
    admins, their spaces for space admins."""
    entries = ActionLog.objects.filter(organization=organization).select_related("actor", "space", "component")
    allowed = administered_space_ids(user, organization)
    if allowed is not None:
        entries = entries.filter(space_id__in=allowed)
    if space is not None:
        entries = entries.filter(space=space)
    if verb:
        entries = entries.filter(verb=verb)
    return entries


def participants(organization: Organization, query: str = "") -> QuerySet[Membership]:
    memberships = Membership.objects.filter(organization=organization).select_related("user").order_by("user__nickname")
    query = (query or "").strip()
    if query:
        memberships = memberships.filter(
            Q(user__name__icontains=query) | Q(user__nickname__icontains=query) | Q(user__email__icontains=query)
        )
    return memberships


def with_second_factor(roles: Iterable[Role]) -> set[int]:
    """Ids of the people of `roles` who use two-factor authentication (one query)."""
    return set(
        Authenticator.objects.filter(
            user_id__in={role.user_id for role in roles}, type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )


def roles(organization: Organization) -> QuerySet[Role]:
    return (
        Role.objects.filter(organization=organization)
        .select_related("user", "space")
        .order_by("name", "space_id", "user__nickname")
    )


def phases_ending_soon(user: User, organization: Organization) -> list[Item]:
    """The back-office's own cards on the dashboard (agora.core.attention): each phase
    that ends within a week, today included, in the spaces the person administers
    (the next phase to prepare, the results to announce), counted in days left. One query."""
    today = timezone.localdate()
    phases = Phase.objects.filter(space__organization=organization, end_date__gte=today, end_date__lte=today + SOON)
    if not permissions.is_organization_admin(user, organization):
        administered = {
            space_id
            for name, space_id in permissions.roles_in(user, organization)
            if name == Role.Name.SPACE_ADMIN and space_id is not None
        }
        if not administered:
            return []
        phases = phases.filter(space_id__in=administered)
    items = []
    for phase in phases.select_related("space").order_by("end_date", "space_id", "position"):
        days = (phase.end_date - today).days + 1  # type: ignore[operator]  # filtered: never None
        items.append(
            Item(
                ngettext("day left in the phase “%(phase)s”", "days left in the phase “%(phase)s”", days)
                % {"phase": translated(phase.title)},
                days,
                reverse("backoffice:phases", args=[phase.space_id]),
                translated(phase.space.title),
                "calendar",
            )
        )
    return items
