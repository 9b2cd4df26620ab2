from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from agora import permissions
from agora.components.models import Component
from agora.spaces.models import PUBLIC_ACCESS, Phase, ProcessGroup, Space


def listed_spaces(organization, user, kind):
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


def processes_by_period(organization, user, group=None):
    """The processes the person may see in lists (of one group if given), as
    {"active": [...], "upcoming": [...], "past": [...]}."""
    today = timezone.localdate()
    active, upcoming, past = [], [], []
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


def groups_of(periods) -> list:
    """The process groups of the listed processes, each with `listed` (how many of
    its processes the person sees), in the groups' order."""
    counts = {}
    for processes in periods.values():
        for process in processes:
            if process.group_id:
                counts[process.group_id] = counts.get(process.group_id, 0) + 1
    groups = list(ProcessGroup.objects.filter(pk__in=counts))
    for group in groups:
        group.listed = counts[group.pk]
    return groups


def process_group_for(organization, group_id) -> ProcessGroup | None:
    return ProcessGroup.objects.filter(organization=organization, pk=group_id).first()


def open_phases(organization, user, processes=None):
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


def home_processes(organization, user) -> dict:
    """What the home page shows of the processes, each process once: the
    promoted ones (their card carries the call to action of their open
    phase) and the open phases of the others ("Take part now")."""
    processes = list(listed_spaces(organization, user, Space.Kind.PROCESS))
    promoted = [process for process in processes if process.promoted]
    others = [process for process in processes if not process.promoted]
    return {"promoted": promoted, "open_phases": open_phases(organization, user, processes=others)}


def assemblies(organization, user):
    return listed_spaces(organization, user, Space.Kind.ASSEMBLY).filter(parent__isnull=True)


def space_for(user, organization, kind, slug):
    """The space, or None when it does not exist for this person (unknown,
    unpublished or private). Returns (space, decision)."""
    space = (
        Space.objects.filter(organization=organization, kind=kind, slug=slug)
        .select_related("organization", "scope", "parent", "group")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("position", "id")))
        .first()
    )
    if space is None:
        return None, None
    return space, permissions.can(user, "space.view", space)


def visible_components(space, user):
    components = Component.objects.filter(space=space).order_by("weight", "id")
    if not permissions.can(user, "space.preview", space):
        components = components.published()
    visible = [c for c in components if c.manifest is not None]
    for component in visible:
        component.space = space  # their links need the space: no query per tab
    return visible


def load_space_target(request, kwargs):
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
    request.space = space
    return space
