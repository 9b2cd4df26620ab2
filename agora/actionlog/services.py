from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType

from agora.actionlog.models import ActionLog

# Set by agora.desk's middleware while a desk agent acts for someone: every row
# written then records which agent helped (the actor is the person helped).
acting_agent: ContextVar = ContextVar("agora_acting_agent", default=None)


def log_action(*, actor, verb: str, target, organization, space=None, component=None,
               visibility=ActionLog.Visibility.ADMIN, data: dict | None = None) -> ActionLog:
    """Record a state change. Call it inside the service's transaction so the
    change and its log row commit together."""
    agent = acting_agent.get()
    if agent is not None:
        data = {**(data or {}), "assisted_by": agent.pk, "assisted_by_name": agent.public_name}
    return ActionLog.objects.create(
        organization=organization,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        space=space,
        component=component,
        visibility=visibility,
        data=data or {},
    )
