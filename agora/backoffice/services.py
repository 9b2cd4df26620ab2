"""Writes on the components of a space (the instances, not their content:
each component app manages its own content)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import log_action
from agora.components.models import Component
from agora.components.registry import registry
from agora.permissions import require
from agora.spaces.models import Space


def add_component(*, actor: User, space: Space, manifest_name: str, name: dict) -> Component:
    require(actor, "space.manage", space)
    manifest = registry.get(manifest_name)
    if manifest is None:
        raise ValidationError(_("Unknown component type."))
    with transaction.atomic():
        last = space.components.aggregate(top=Max("weight"))["top"]
        component = Component.objects.create(
            space=space,
            manifest_name=manifest_name,
            name=name,
            weight=0 if last is None else last + 1,
            settings=manifest.default_settings(),
        )
        log_action(
            actor=actor,
            verb="component.create",
            target=component,
            organization=space.organization,
            space=space,
            component=component,
            data={"type": manifest_name},
        )
    return component


def update_component(
    *, actor: User, component: Component, name: dict, weight: int, settings: dict, phase_settings: dict | None = None
) -> Component:
    """`settings` are raw values checked by the manifest; `phase_settings`
    maps phase ids of the space to raw per-phase values."""
    require(actor, "component.manage", component)
    manifest = component.manifest
    if manifest is None:
        raise ValidationError(_("Unknown component type."))
    cleaned_settings = manifest.clean_settings(settings)
    cleaned_phases = {}
    phase_ids = {str(pk) for pk in component.space.phases.values_list("pk", flat=True)}
    errors = []
    for phase_id, values in (phase_settings or {}).items():
        if str(phase_id) not in phase_ids:
            raise ValidationError(_("This phase belongs to another space."))
        try:
            cleaned_phases[str(phase_id)] = manifest.clean_settings(values, per_phase=True)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        component.name, component.weight, component.settings = name, weight, cleaned_settings
        if phase_settings is not None:
            component.phase_settings = cleaned_phases
        component.save()
        log_action(
            actor=actor,
            verb="component.update",
            target=component,
            organization=component.space.organization,
            space=component.space,
            component=component,
        )
    return component


def publish_component(*, actor: User, component: Component) -> Component:
    require(actor, "component.manage", component)
    with transaction.atomic():
        if component.published_at is None:
            component.published_at = timezone.now()
            component.save(update_fields=["published_at"])
        log_action(
            actor=actor,
            verb="component.publish",
            target=component,
            organization=component.space.organization,
            space=component.space,
            component=component,
        )
    return component


def unpublish_component(*, actor: User, component: Component) -> Component:
    require(actor, "component.manage", component)
    with transaction.atomic():
        component.published_at = None
        component.save(update_fields=["published_at"])
        log_action(
            actor=actor,
            verb="component.unpublish",
            target=component,
            organization=component.space.organization,
            space=component.space,
            component=component,
        )
    return component


def delete_component(*, actor: User, component: Component) -> None:
    require(actor, "component.manage", component)
    space = component.space
    with transaction.atomic():
        log_action(
            actor=actor,
            verb="component.delete",
            target=component,
            organization=space.organization,
            space=space,
            data={"type": component.manifest_name},
        )
        component.delete()
