"""Copy a space for its next edition, as Decidim does: the space's settings,
its categories and scopes, its phases (dates moved), its components with
their settings and their configuration (each component copies its own:
pages, budgets, idea states ...; cross-cutting layers copy theirs, such as
eligibility rules), and optionally its staff. Never what participants wrote:
ideas, comments, ballots, supports, follows, results, news, members.

One transaction: a copy is complete or not made at all.

Spaces sit below components: the components app registers the copy of a
space's components (`register_component_copier`, in its AppConfig.ready:
agora.components.copying), so this module never imports it."""

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agora.actionlog.services import log_action
from agora.core import images
from agora.core.translations import translated
from agora.permissions import require
from agora.spaces.models import Phase, Role, Space

COPIED_SPACE_FIELDS = (
    "kind",
    "subtitle",
    "short_description",
    "description",
    "hero_image_alt",
    "scope",
    "group",
    "private",
    "transparent",
    "purpose",
    "composition",
    "parent",
    "weight",
)


# copier(source space, copy, {source phase id: copied phase id}) -> {source component id:
# copied component id}: copies the source's components into the copy.
_component_copiers: list[Callable] = []


def register_component_copier(function: Callable) -> Callable:
    if function not in _component_copiers:
        _component_copiers.append(function)
    return function


def reference_date(space) -> date | None:
    """The date the shift is measured from: the space's start, else its first phase's."""
    if space.start_date:
        return space.start_date
    first = space.phases.exclude(start_date=None).order_by("start_date").first()
    return first.start_date if first else None


def _shifted(day, shift: timedelta):
    return day + shift if day else day


@dataclass
class CopyPlan:
    """What a copy will make, for the confirmation screen."""

    shift: timedelta
    phases: list = field(default_factory=list)  # (phase, new start, new end)
    components: list = field(default_factory=list)
    categories: int = 0
    scopes: int = 0
    roles: list = field(default_factory=list)
    new_start: date | None = None
    new_end: date | None = None


def plan_copy(space, *, new_start: date | None) -> CopyPlan:
    start = reference_date(space)
    shift = (new_start - start) if (new_start and start) else timedelta(0)
    plan = CopyPlan(shift=shift, new_start=_shifted(space.start_date, shift), new_end=_shifted(space.end_date, shift))
    plan.phases = [
        (phase, _shifted(phase.start_date, shift), _shifted(phase.end_date, shift))
        for phase in space.phases.order_by("position", "id")
    ]
    plan.components = list(space.components.order_by("weight", "id"))
    plan.categories = space.categories.count()
    plan.scopes = space.scopes.count()
    plan.roles = list(Role.objects.filter(space=space).select_related("user").order_by("name", "id"))
    return plan


def _copy_hero_image(source: Space, copy: Space) -> None:
    if not source.hero_image:
        return
    try:
        with source.hero_image.open("rb") as stored:
            content = stored.read()
    except OSError:
        raise ValidationError(_("The banner image could not be read: remove it from the space or try again."))
    copy.hero_image.save(os.path.basename(str(source.hero_image.name)), ContentFile(content), save=False)


def _remap_url(url: str, source: Space, copy: Space, component_ids: dict[int, int]) -> str:
    """A call to action pointing into the source space points into the copy
    (its address and its components)."""
    prefix = f"/{source.url_prefix}/{source.slug}/"
    if not url.startswith(prefix):
        return url
    rest = url[len(prefix) :]
    match = re.match(r"^f/(\d+)/", rest)
    if match and int(match.group(1)) in component_ids:
        rest = f"f/{component_ids[int(match.group(1))]}/" + rest[match.end() :]
    return f"/{copy.url_prefix}/{copy.slug}/" + rest


def copy_space(
    *, actor, space, title: dict, slug: str, new_start: date | None = None, copy_roles: bool = True
) -> Space:
    """A draft copy of `space` named `title` at `slug`, its dates moved so
    that it starts on `new_start` (unchanged when not given)."""
    require(actor, "space.copy", space)
    if not (title or {}).get(space.organization.default_language):
        raise ValidationError(_("Give the copy a title."))
    if Space.objects.filter(organization=space.organization, kind=space.kind, slug=slug).exists():
        raise ValidationError(_("Another space of this kind already uses this address."), code="slug")
    start = reference_date(space)
    shift = (new_start - start) if (new_start and start) else timedelta(0)
    try:
        with transaction.atomic():
            copy = _copy(actor, space, title=title, slug=slug, shift=shift, copy_roles=copy_roles)
    except IntegrityError:
        # Two officers copying to the same address at once: the second is told.
        raise ValidationError(_("Another space of this kind already uses this address."), code="slug")
    return copy


def _copy(actor, source: Space, *, title, slug, shift, copy_roles) -> Space:
    source = Space.objects.select_for_update().get(pk=source.pk)
    copy = Space(
        organization=source.organization,
        title=title,
        slug=slug,
        start_date=_shifted(source.start_date, shift),
        end_date=_shifted(source.end_date, shift),
        promoted=False,
        published_at=None,
    )
    for name in COPIED_SPACE_FIELDS:
        setattr(copy, name, getattr(source, name))
    _copy_hero_image(source, copy)
    copy.full_clean(exclude=["categories", "scopes"])
    copy.save()
    if copy.hero_image:
        copy.hero_image_variants = images.make_variants(copy.hero_image.storage, copy.hero_image.name)
        copy.save(update_fields=["hero_image_variants"])
    copy.categories.set(source.categories.all())
    copy.scopes.set(source.scopes.all())

    phase_ids: dict[int, int] = {}
    new_phases = []
    for phase in source.phases.order_by("position", "id"):
        new = Phase.objects.create(
            space=copy,
            title=phase.title,
            description=phase.description,
            start_date=_shifted(phase.start_date, shift),
            end_date=_shifted(phase.end_date, shift),
            cta_text=phase.cta_text,
            cta_url=phase.cta_url,
            position=phase.position,
            is_active=False,
        )
        phase_ids[phase.pk] = new.pk
        new_phases.append((phase, new))

    component_ids: dict[int, int] = {}
    for copier in _component_copiers:
        component_ids.update(copier(source, copy, phase_ids))

    for _phase, new in new_phases:
        if new.cta_url:
            remapped = _remap_url(new.cta_url, source, copy, component_ids)
            if remapped != new.cta_url:
                Phase.objects.filter(pk=new.pk).update(cta_url=remapped)

    if copy_roles:
        Role.objects.bulk_create(
            [
                Role(organization=role.organization, space=copy, user_id=role.user_id, name=role.name)
                for role in Role.objects.filter(space=source)
            ]
        )

    log_action(
        actor=actor,
        verb="space.copy",
        target=copy,
        organization=copy.organization,
        space=copy,
        data={
            "source": source.pk,
            "source_title": translated(source.title),
            "shift_days": shift.days,
            "phases": len(phase_ids),
            "components": len(component_ids),
        },
    )
    return copy
