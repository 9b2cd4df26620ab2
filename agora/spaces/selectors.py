import copy
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags

from agora import permissions, visitor
from agora.accounts.models import User
from agora.core import pagecache
from agora.core.middleware import AgoraRequest
from agora.core.models import Organization
from agora.core.translations import translated
from agora.spaces.models import PUBLIC_ACCESS, Phase, ProcessGroup, Role, Space


def listed_spaces(organization: Organization, user: User | AnonymousUser, kind: str) -> QuerySet[Space]:
    """Published spaces of a kind that the person may see in lists."""
    queryset = Space.objects.filter(organization=organization, kind=kind).published()
    visible = PUBLIC_ACCESS
    if user.is_authenticated:
        visible |= Q(members__user=user) | Q(pk__in=permissions.role_space_ids(user, organization))
        if permissions.is_organization_admin(user, organization):
            visible = Q()
    return (
        queryset.filter(visible)
        .distinct()
        .select_related("scope")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("position", "id")))
    )


def processes_by_period(
    organization: Organization, user: User | AnonymousUser, group: ProcessGroup | None = None
) -> dict[str, list[Space]]:
    """The processes the person may see in lists (of one group if given), as
    {"active": [...], "upcoming": [...], "past": [...]}."""
    today = timezone.localdate()
    active: list[Space] = []
    upcoming: list[Space] = []
    past: list[Space] = []
    processes = listed_spaces(organization, user, Space.Kind.PROCESS)
    if group is not None:
        processes = processes.filter(group=group)
    for process in processes:
        if process.start_date and process.start_date > today:
            upcoming.append(process)
        elif process.end_date and process.end_date < today:
            past.append(process)
        else:
            active.append(process)
    return {"active": active, "upcoming": upcoming, "past": past}


def groups_of(periods: dict[str, list[Space]]) -> list[ProcessGroup]:
    """The process groups of the listed processes, each with `listed` (how many of
    its processes the person sees), in the groups' order."""
    counts: dict = {}
    for processes in periods.values():
        for process in processes:
            if process.group_id:
                counts[process.group_id] = counts.get(process.group_id, 0) + 1
    groups = list(ProcessGroup.objects.filter(pk__in=counts))
    for group in groups:
        setattr(group, "listed", counts[group.pk])
    return groups


def process_group_for(organization: Organization, group_id: int) -> ProcessGroup | None:
    return ProcessGroup.objects.filter(organization=organization, pk=group_id).first()


def open_phases(
    organization: Organization, user: User | AnonymousUser, processes: Iterable[Space] | None = None
) -> list[Phase]:
    """The active phase of each running process, for the home page's calls to action."""
    today = timezone.localdate()
    phases = []
    if processes is None:
        processes = listed_spaces(organization, user, Space.Kind.PROCESS)
    for process in processes:
        phase = process.active_phase
        if phase and not (process.end_date and process.end_date < today):
            phases.append(phase)
    return phases


def home_processes(organization: Organization, user: User | AnonymousUser) -> dict:
    """What the home page shows of the processes, each process once: the
    promoted ones (their card carries the call to action of their open
    phase) and the open phases of the others ("Take part now")."""
    processes = list(listed_spaces(organization, user, Space.Kind.PROCESS))
    promoted = [process for process in processes if process.promoted]
    others = [process for process in processes if not process.promoted]
    return {"promoted": promoted, "open_phases": open_phases(organization, user, processes=others)}


def searchable_spaces(organization: Organization, shared: dict) -> list[Space]:
    """The spaces the site search looks in (public ones: the results are the
    same for everyone), found once per search (`shared`, agora.core.search)."""
    if "public_spaces" not in shared:
        anonymous = AnonymousUser()
        shared["public_spaces"] = [
            *listed_spaces(organization, anonymous, Space.Kind.PROCESS),
            *listed_spaces(organization, anonymous, Space.Kind.ASSEMBLY),
        ]
    return shared["public_spaces"]


def search_candidates(organization: Organization, shared: dict) -> list[tuple[str, str, str, str]]:
    """The spaces' provider of the site search (agora.core.search, registered in SpacesConfig.ready)."""
    candidates = []
    for space in searchable_spaces(organization, shared):
        text = " ".join(
            strip_tags(translated(value))
            for value in (space.subtitle, space.short_description, space.description, space.purpose)
        )
        candidates.append((translated(space.title), text, space.get_absolute_url(), ""))
    return candidates


def assemblies(organization: Organization, user: User | AnonymousUser) -> QuerySet[Space]:
    return listed_spaces(organization, user, Space.Kind.ASSEMBLY).filter(parent__isnull=True)


def space_for(
    user: User | AnonymousUser, organization: Organization, kind: str, slug: str
) -> tuple[Space | None, permissions.Decision | None]:
    """The space, or None when it does not exist for this person (unknown,
    unpublished or private). Returns (space, decision). The space and its
    phases are kept per process for the settings version
    (agora.core.pagecache.memo, inside the page's memo_scope); each call gets
    a copy, with the organization it was given."""

    def load() -> Space | None:
        return (
            Space.objects.filter(organization=organization, kind=kind, slug=slug)
            .select_related("scope", "parent", "group")
            .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("position", "id")))
            .first()
        )

    shared = pagecache.memo(("space", organization.pk, kind, slug), load)
    if shared is None:
        return None, None
    space = copy.copy(shared)
    space.__dict__["_prefetched_objects_cache"] = dict(shared.__dict__.get("_prefetched_objects_cache", {}))
    space.organization = organization  # the request's: no join
    return space, permissions.can(user, "space.view", space)


# The order of a space's component tabs.
TABS_ORDER = ("weight", "id")


def _tabs(components: Iterable[Any]) -> list[Any]:
    return [c for c in components if c.manifest is not None]


def keep_components(space: Space, components: list[Any]) -> None:
    """`components`: all the components of `space` in TABS_ORDER, read by a
    page for another reason (agora.components.access reads a component with
    its siblings); `visible_components` then needs no query of its own for
    this settings version."""
    pagecache.memo(("space_components", space.pk), lambda: _tabs(components))


def visible_components(space: Space, user: User | AnonymousUser) -> list[Any]:
    """The component tabs of the space: its components (kept per process for
    the settings version, agora.core.pagecache.memo), the published ones
    unless the person may preview the space; each page gets copies.
    (Components, typed Any: spaces sit below agora.components.)"""

    def load() -> list[Any]:
        # The components' reverse relation: spaces sit below components and never import them.
        return _tabs(space.components.order_by(*TABS_ORDER))

    preview = permissions.can(user, "space.preview", space)
    visible = []
    for shared in pagecache.memo(("space_components", space.pk), load):
        if preview or shared.is_published:
            component = copy.copy(shared)
            component.space = space  # their links need the space: no query per tab
            visible.append(component)
    return visible


def load_space_target(request: AgoraRequest, kwargs: dict[str, Any]) -> Space:
    """The "space" target of back-office screens (agora.web.access): the space
    named by the `space_id` URL argument within the request's organization,
    or 404; sets `request.space`."""
    space = (
        Space.objects.select_related("organization", "group", "parent", "scope")
        .filter(pk=kwargs["space_id"], organization=request.organization)
        .first()
    )
    if space is None:
        raise Http404
    setattr(request, "space", space)
    return space


def roles_columns(user: User, organization: Organization, vendor: str) -> tuple[list[str], list[int]]:
    """The visitor fact "spaces.roles" (agora.visitor), read by
    agora.permissions: the (role name, space id) pairs the person holds in
    the organization."""
    return [
        visitor.json_rows(
            vendor,
            "r.name, r.space_id",
            f"FROM {visitor.table(Role)} r WHERE r.organization_id = %s AND r.user_id = %s",
        )
    ], [organization.pk, user.pk]


def roles_value(values: Sequence[Any]) -> set[tuple[str, int | None]]:
    return {(name, space_id) for name, space_id in visitor.rows(values[0])}
