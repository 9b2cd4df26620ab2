"""Every write on participatory spaces: spaces, process groups, phases,
assembly members, private members and staff roles. Each function checks the
permission, works in one transaction and writes the action log."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import log_action
from agora.core import images
from agora.core.models import Organization
from agora.core.sanitize import clean_translated_html
from agora.permissions import forget_roles, require
from agora.spaces.models import AssemblyMember, Phase, ProcessGroup, Role, Space, SpaceMember

SPACE_FIELDS = {
    "title",
    "subtitle",
    "short_description",
    "description",
    "slug",
    "hero_image",
    "hero_image_alt",
    "start_date",
    "end_date",
    "scope",
    "group",
    "promoted",
    "private",
    "transparent",
    "purpose",
    "composition",
    "parent",
    "weight",
}
RICH_SPACE_FIELDS = {"description", "purpose", "composition"}
PHASE_FIELDS = {"title", "description", "start_date", "end_date", "cta_text", "cta_url"}


class SpaceNotEmpty(ValidationError):
    pass


# --- spaces ------------------------------------------------------------------


def _check_references(
    organization: Organization, kind: str, values: dict[str, Any], space: Space | None = None
) -> None:
    """Foreign keys chosen in a form must belong to the same organization."""
    for name in ("scope", "group", "parent"):
        related = values.get(name)
        if related is not None and related.organization_id != organization.pk:
            raise ValidationError(_("This choice belongs to another organization."))
    parent = values.get("parent")
    if parent is not None:
        if kind != Space.Kind.ASSEMBLY or parent.kind != Space.Kind.ASSEMBLY:
            raise ValidationError(_("Only an assembly can have a parent assembly."))
        ancestor = parent
        while ancestor is not None:
            if space is not None and ancestor.pk == space.pk:
                raise ValidationError(_("An assembly cannot be its own parent or a child of its children."))
            ancestor = ancestor.parent
    for name in ("categories", "scopes"):
        for item in values.get(name) or ():
            if item.organization_id != organization.pk:
                raise ValidationError(_("This choice belongs to another organization."))


def _apply_space_values(space: Space, values: dict[str, Any]) -> None:
    unknown = set(values) - SPACE_FIELDS - {"categories", "scopes"}
    if unknown:
        raise ValueError(f"Unknown space fields: {sorted(unknown)}")
    # The hero image: a new upload is checked, stored upright without metadata and gets its
    # copies once saved (_make_hero_variants); any image needs its description.
    image = values.get("hero_image")
    images.check_picture(
        image if "hero_image" in values else space.hero_image, values.get("hero_image_alt", space.hero_image_alt)
    )
    for name, value in values.items():
        if name in ("categories", "scopes"):
            continue
        if name == "hero_image":
            value = images.clean_image(value) if value else ""
            space.hero_image_variants = {}
        if name in RICH_SPACE_FIELDS:
            value = clean_translated_html(value)
        setattr(space, name, value)
    if space.kind == Space.Kind.PROCESS:
        space.parent, space.transparent = None, False
    else:
        space.group = None


def _make_hero_variants(space: Space, values: dict[str, Any], previous: tuple[str, dict] | None = None) -> None:
    """After the space is saved with a new or removed hero image: the copies of
    the new one, and the old one with its copies deleted once committed."""
    if "hero_image" not in values:
        return
    if space.hero_image:
        space.hero_image_variants = images.make_variants(space.hero_image.storage, space.hero_image.name)
        space.save(update_fields=["hero_image_variants"])
    if previous and previous[0] and previous[0] != space.hero_image.name:
        images.delete_image_after_commit(space.hero_image.storage, previous[0], previous[1])


def _set_relations(space: Space, values: dict[str, Any]) -> None:
    if "categories" in values:
        space.categories.set(values["categories"] or [])
    if "scopes" in values:
        space.scopes.set(values["scopes"] or [])


def create_space(*, actor: User, organization: Organization, kind: str, values: dict) -> Space:
    require(actor, "space.create", organization)
    if kind not in Space.Kind.values:
        raise ValueError(f"Unknown space kind {kind!r}")
    _check_references(organization, kind, values)
    with transaction.atomic():
        space = Space(organization=organization, kind=kind)
        _apply_space_values(space, values)
        space.full_clean(exclude=["categories", "scopes"])
        space.save()
        _make_hero_variants(space, values)
        _set_relations(space, values)
        log_action(actor=actor, verb="space.create", target=space, organization=organization, space=space)
    return space


def update_space(*, actor: User, space: Space, values: dict) -> Space:
    require(actor, "space.manage", space)
    _check_references(space.organization, space.kind, values, space=space)
    with transaction.atomic():
        locked = Space.objects.select_for_update().get(pk=space.pk)
        previous = (str(locked.hero_image.name or ""), locked.hero_image_variants)
        _apply_space_values(locked, values)
        locked.full_clean(exclude=["categories", "scopes"])
        locked.save()
        _make_hero_variants(locked, values, previous)
        _set_relations(locked, values)
        log_action(actor=actor, verb="space.update", target=locked, organization=locked.organization, space=locked)
    return locked


def publish_space(*, actor: User, space: Space) -> Space:
    require(actor, "space.manage", space)
    with transaction.atomic():
        Space.objects.filter(pk=space.pk, published_at__isnull=True).update(published_at=timezone.now())
        space.refresh_from_db(fields=["published_at"])
        log_action(actor=actor, verb="space.publish", target=space, organization=space.organization, space=space)
    return space


def unpublish_space(*, actor: User, space: Space) -> Space:
    require(actor, "space.manage", space)
    with transaction.atomic():
        Space.objects.filter(pk=space.pk).update(published_at=None)
        space.published_at = None
        log_action(actor=actor, verb="space.unpublish", target=space, organization=space.organization, space=space)
    return space


def delete_space(*, actor: User, space: Space) -> None:
    """Delete an empty space; a space with components or child assemblies is refused."""
    require(actor, "space.manage", space)
    with transaction.atomic():
        locked = Space.objects.select_for_update().get(pk=space.pk)
        if locked.components.exists() or locked.children.exists():
            raise SpaceNotEmpty(_("This space still holds components or child assemblies: delete or move them first."))
        log_action(
            actor=actor,
            verb="space.delete",
            target=locked,
            organization=locked.organization,
            data={"slug": locked.slug, "kind": locked.kind},
        )
        locked.delete()


# --- process groups ------------------------------------------------------------


def create_process_group(*, actor: User, organization: Organization, title: dict, description: dict) -> ProcessGroup:
    require(actor, "space.create", organization)
    with transaction.atomic():
        group = ProcessGroup.objects.create(
            organization=organization, title=title, description=clean_translated_html(description)
        )
        log_action(actor=actor, verb="process_group.create", target=group, organization=organization)
    return group


def update_process_group(*, actor: User, group: ProcessGroup, title: dict, description: dict) -> ProcessGroup:
    require(actor, "space.create", group.organization)
    with transaction.atomic():
        group.title, group.description = title, clean_translated_html(description)
        group.save()
        log_action(actor=actor, verb="process_group.update", target=group, organization=group.organization)
    return group


def delete_process_group(*, actor: User, group: ProcessGroup) -> None:
    """The processes of the group stay, without a group."""
    require(actor, "space.create", group.organization)
    with transaction.atomic():
        log_action(actor=actor, verb="process_group.delete", target=group, organization=group.organization)
        group.delete()


# --- phases --------------------------------------------------------------------


def _check_phase(space: Space) -> None:
    if space.kind != Space.Kind.PROCESS:
        raise ValidationError(_("Only processes have phases."))


def _phase_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - PHASE_FIELDS
    if unknown:
        raise ValueError(f"Unknown phase fields: {sorted(unknown)}")
    if "description" in values:
        values = {**values, "description": clean_translated_html(values["description"])}
    return values


def create_phase(*, actor: User, space: Space, values: dict) -> Phase:
    require(actor, "space.manage", space)
    _check_phase(space)
    with transaction.atomic():
        Space.objects.select_for_update().get(pk=space.pk)
        last = space.phases.aggregate(top=Max("position"))["top"]
        phase = Phase(space=space, position=0 if last is None else last + 1, **_phase_values(values))
        phase.full_clean()
        phase.save()
        log_action(actor=actor, verb="phase.create", target=phase, organization=space.organization, space=space)
    return phase


def update_phase(*, actor: User, phase: Phase, values: dict) -> Phase:
    require(actor, "space.manage", phase.space)
    with transaction.atomic():
        for name, value in _phase_values(values).items():
            setattr(phase, name, value)
        phase.full_clean()
        phase.save()
        log_action(
            actor=actor, verb="phase.update", target=phase, organization=phase.space.organization, space=phase.space
        )
    return phase


def delete_phase(*, actor: User, phase: Phase) -> None:
    space = phase.space
    require(actor, "space.manage", space)
    with transaction.atomic():
        log_action(actor=actor, verb="phase.delete", target=phase, organization=space.organization, space=space)
        phase.delete()
        _renumber_phases(space)


def _renumber_phases(space: Space) -> None:
    for position, phase in enumerate(space.phases.order_by("position", "id")):
        if phase.position != position:
            Phase.objects.filter(pk=phase.pk).update(position=position)


def move_phase(*, actor: User, phase: Phase, direction: str) -> Phase:
    """Move a phase one place "up" (earlier) or "down" (later)."""
    space = phase.space
    require(actor, "space.manage", space)
    if direction not in ("up", "down"):
        raise ValueError(f"Unknown direction {direction!r}")
    with transaction.atomic():
        Space.objects.select_for_update().get(pk=space.pk)
        _renumber_phases(space)
        phases = list(space.phases.order_by("position", "id"))
        index = next(i for i, candidate in enumerate(phases) if candidate.pk == phase.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(phases):
            phases[index], phases[other] = phases[other], phases[index]
            for position, item in enumerate(phases):
                Phase.objects.filter(pk=item.pk).update(position=position)
            log_action(
                actor=actor,
                verb="phase.move",
                target=phase,
                organization=space.organization,
                space=space,
                data={"direction": direction},
            )
        phase.refresh_from_db(fields=["position"])
    return phase


def _activate(space: Space, phase: Phase) -> bool:
    """Make `phase` the only active phase of the locked `space` (no pin left on
    any other); False when it already was."""
    if phase.is_active and not space.phases.filter(is_active=True).exclude(pk=phase.pk).exists():
        return False
    # Deactivate first: the partial unique constraint allows one active phase.
    space.phases.filter(is_active=True).exclude(pk=phase.pk).update(is_active=False, pinned=False)
    Phase.objects.filter(pk=phase.pk).update(is_active=True)
    phase.is_active = True
    return True


@dataclass
class ActivationPlan:
    """What activating `phase` by hand means for the daily switch by dates.

    `dates_agree`: the switch keeps it tonight: the first phase whose dates
    contain today is this one, or no phase's dates contain today. Otherwise
    `by_dates` is the other phase the dates give today and
    `changes` the new dates [(phase, start, end)] that would make the dates
    agree (this phase starts today at the latest and ends today at the
    earliest; the phases before it in order that contain today end yesterday
    or start tomorrow), or None when dates cannot say it (a one-day phase of
    today in the way)."""

    phase: Phase
    today: date
    dates_agree: bool
    by_dates: Phase | None
    changes: list | None


def _contains(start: date | None, end: date | None, day: date) -> bool:
    if start is None and end is None:
        return False
    return (start is None or start <= day) and (end is None or day <= end)


def activation_plan(phases: Iterable[Phase], phase: Phase, today: date | None = None) -> ActivationPlan:
    today = today or timezone.localdate()
    ordered = list(phases)
    by_dates = phase_for_date(ordered, today)
    if by_dates is None or by_dates.pk == phase.pk:
        # The daily switch keeps this phase (no phase's dates contain today: the
        # current one stays until the dates of a phase begin).
        return ActivationPlan(phase, today, True, by_dates, [])
    dates = {item.pk: (item.start_date, item.end_date) for item in ordered}
    start, end = phase.start_date, phase.end_date
    if start is None or start > today:
        start = today
    if end is not None and end < today:
        end = today
    dates[phase.pk] = (start, end)
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    # Only the phases before it in order can win today's date from it (the
    # switch takes the first phase whose dates contain the day).
    for other in ordered[: ordered.index(phase)]:
        other_start, other_end = dates[other.pk]
        if not _contains(other_start, other_end, today):
            continue
        if other_start is None or other_start < today:
            dates[other.pk] = (other_start, yesterday)
        elif other_end is None or other_end > today:
            dates[other.pk] = (tomorrow, other_end)
        else:  # a phase of today only
            return ActivationPlan(phase, today, False, by_dates, None)
    first = next((item for item in ordered if _contains(*dates[item.pk], today)), None)
    if first is None or first.pk != phase.pk:
        return ActivationPlan(phase, today, False, by_dates, None)
    changes = [(item, *dates[item.pk]) for item in ordered if dates[item.pk] != (item.start_date, item.end_date)]
    return ActivationPlan(phase, today, False, by_dates, changes)


KEEP_DATES = "dates"
KEEP_PIN = "pin"


def activate_phase(*, actor: User, phase: Phase, keep: str | None = None, today: date | None = None) -> Phase:
    """Switch the active phase of a process by hand, so that the daily switch
    by dates (sync_phases) does not undo it: when today is not in the phase's
    dates, `keep` says how: KEEP_DATES changes the dates as `activation_plan`
    shows, KEEP_PIN (the default) keeps the phase active until an officer
    activates another or lets the dates decide again (`release_phase`)."""
    space = phase.space
    require(actor, "space.manage", space)
    if keep not in (None, KEEP_DATES, KEEP_PIN):
        raise ValueError(f"Unknown way to keep a phase: {keep!r}")
    with transaction.atomic():
        Space.objects.select_for_update().get(pk=space.pk)
        phases = list(space.phases.order_by("position", "id"))
        phase = next(item for item in phases if item.pk == phase.pk)
        plan = activation_plan(phases, phase, today)
        kept = KEEP_PIN if keep == KEEP_PIN else None
        if not plan.dates_agree:
            kept = keep or KEEP_PIN
            if kept == KEEP_DATES:
                if plan.changes is None:
                    raise ValidationError(
                        _(
                            "The dates cannot be changed so that this phase is the phase of "
                            "today: keep it active by hand instead."
                        )
                    )
                for item, start, end in plan.changes:
                    Phase.objects.filter(pk=item.pk).update(start_date=start, end_date=end)
                    item.start_date, item.end_date = start, end
        pinned = kept == KEEP_PIN
        started = _activate(space, phase)
        changed = started or phase.pinned != pinned or kept == KEEP_DATES
        if phase.pinned != pinned:
            Phase.objects.filter(pk=phase.pk).update(pinned=pinned)
            phase.pinned = pinned
        if changed:
            data: dict[str, Any] = {"kept": kept or "dates_agree", "date": plan.today.isoformat()}
            if kept == KEEP_DATES:
                data["dates"] = [
                    {
                        "phase": item.pk,
                        "start": start.isoformat() if start else None,
                        "end": end.isoformat() if end else None,
                    }
                    for item, start, end in plan.changes or ()
                ]
            log_action(
                actor=actor,
                verb="phase.activate",
                target=phase,
                organization=space.organization,
                space=space,
                visibility="public",
                data=data,
            )
        if started:
            _announce_phase(space, phase, actor)
    return phase


def release_phase(*, actor: User, phase: Phase) -> Phase:
    """Let the dates decide again: the daily switch may change the active phase
    from its next run."""
    space = phase.space
    require(actor, "space.manage", space)
    with transaction.atomic():
        Space.objects.select_for_update().get(pk=space.pk)
        if Phase.objects.filter(pk=phase.pk, pinned=True).update(pinned=False):
            log_action(actor=actor, verb="phase.release", target=phase, organization=space.organization, space=space)
        phase.pinned = False
    return phase


# Who hears that a phase started: the notifications app, above spaces, registers its
# announcement when it loads (agora.notifications.phases), so spaces never import it.
_phase_listeners: list[Callable] = []


def on_phase_started(function: Callable) -> Callable:
    """function(space, phase, actor): a phase of a published space has started
    (actor None when the daily switch started it)."""
    if function not in _phase_listeners:
        _phase_listeners.append(function)
    return function


def _announce_phase(space: Space, phase: Phase, actor: User | None) -> None:
    """Tell whoever listens that a new phase has started (nobody hears of
    phases of an unpublished space)."""
    if not space.is_published:
        return
    for listener in _phase_listeners:
        listener(space, phase, actor)


def phase_for_date(phases: Iterable[Phase], today: date) -> Phase | None:
    """The first phase (in order) whose dates contain `today`, or None.
    A phase without any date never contains a day; an open end runs on."""
    for phase in phases:
        if phase.start_date is None and phase.end_date is None:
            continue
        if (phase.start_date is None or phase.start_date <= today) and (
            phase.end_date is None or today <= phase.end_date
        ):
            return phase
    return None


def sync_active_phases(today: date | None = None) -> list[Phase]:
    """Activate, in every process of every organization, the phase whose
    dates contain today; when none does, the current one stays. A process
    whose phase was activated by hand and kept (pinned) is left alone.
    Idempotent: a second run changes nothing. Returns the phases activated."""
    today = today or timezone.localdate()
    activated = []
    process_ids = Phase.objects.filter(space__kind=Space.Kind.PROCESS).values_list("space_id", flat=True).distinct()
    for space_id in process_ids:
        with transaction.atomic():
            space = Space.objects.select_for_update().select_related("organization").get(pk=space_id)
            phases = list(space.phases.order_by("position", "id"))
            if any(phase.pinned for phase in phases):
                continue  # activated by hand and kept: the dates do not decide here
            target = phase_for_date(phases, today)
            if target is not None and _activate(space, target):
                log_action(
                    actor=None,
                    verb="phase.activate_auto",
                    target=target,
                    organization=space.organization,
                    space=space,
                    visibility="public",
                    data={"date": today.isoformat()},
                )
                _announce_phase(space, target, None)
                activated.append(target)
    return activated


# --- assembly members ----------------------------------------------------------


def _check_assembly(space: Space) -> None:
    if space.kind != Space.Kind.ASSEMBLY:
        raise ValidationError(_("Only assemblies have members with positions."))


def add_assembly_member(
    *,
    actor: User,
    space: Space,
    user: User | None = None,
    full_name: str = "",
    position: str = AssemblyMember.Position.MEMBER,
    weight: int = 0,
) -> AssemblyMember:
    require(actor, "space.manage", space)
    _check_assembly(space)
    full_name = (full_name or "").strip()
    if user is None and not full_name:
        raise ValidationError(_("Choose a participant or enter the name of a person without an account."))
    with transaction.atomic():
        member = AssemblyMember.objects.create(
            space=space, user=user, full_name="" if user else full_name, position=position, weight=weight
        )
        log_action(
            actor=actor,
            verb="assembly_member.add",
            target=member,
            organization=space.organization,
            space=space,
            data={"position": position},
        )
    return member


def update_assembly_member(
    *, actor: User, member: AssemblyMember, position: str, weight: int, full_name: str | None = None
) -> AssemblyMember:
    require(actor, "space.manage", member.space)
    with transaction.atomic():
        member.position, member.weight = position, weight
        if member.user_id is None and full_name is not None:
            if not full_name.strip():
                raise ValidationError(_("Enter the name of the person."))
            member.full_name = full_name.strip()
        member.save()
        log_action(
            actor=actor,
            verb="assembly_member.update",
            target=member,
            organization=member.space.organization,
            space=member.space,
            data={"position": position},
        )
    return member


def remove_assembly_member(*, actor: User, member: AssemblyMember) -> None:
    space = member.space
    require(actor, "space.manage", space)
    with transaction.atomic():
        log_action(
            actor=actor, verb="assembly_member.remove", target=member, organization=space.organization, space=space
        )
        member.delete()


# --- private space members ------------------------------------------------------


def add_space_member(*, actor: User, space: Space, user: User) -> SpaceMember:
    require(actor, "space.manage", space)
    with transaction.atomic():
        member, created = SpaceMember.objects.get_or_create(space=space, user=user)
        if created:
            log_action(actor=actor, verb="space_member.add", target=user, organization=space.organization, space=space)
    return member


def remove_space_member(*, actor: User, member: SpaceMember) -> None:
    space = member.space
    require(actor, "space.manage", space)
    with transaction.atomic():
        log_action(
            actor=actor, verb="space_member.remove", target=member.user, organization=space.organization, space=space
        )
        member.delete()


# --- staff roles ------------------------------------------------------------------


def grant_role(*, actor: User, organization: Organization, user: User, name: str, space: Space | None = None) -> Role:
    require(actor, "participants.manage", organization)
    if name not in Role.Name.values:
        raise ValueError(f"Unknown role {name!r}")
    if name == Role.Name.ORGANIZATION_ADMIN:
        space = None
    elif space is None:
        raise ValidationError(_("Choose the space where this role applies."))
    elif space.organization_id != organization.pk:
        raise ValidationError(_("This choice belongs to another organization."))
    with transaction.atomic():
        role, created = Role.objects.get_or_create(organization=organization, user=user, name=name, space=space)
        if created:
            log_action(
                actor=actor, verb="role.grant", target=user, organization=organization, space=space, data={"role": name}
            )
    forget_roles(user)
    return role


def revoke_role(*, actor: User, role: Role) -> None:
    require(actor, "participants.manage", role.organization)
    if role.user_id == actor.pk and role.name == Role.Name.ORGANIZATION_ADMIN:
        raise ValidationError(_("You cannot remove your own administrator role; ask another administrator."))
    with transaction.atomic():
        log_action(
            actor=actor,
            verb="role.revoke",
            target=role.user,
            organization=role.organization,
            space=role.space,
            data={"role": role.name},
        )
        role.delete()
    forget_roles(role.user)
