from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from agora.actionlog.models import ActionLog

# Set by agora.desk's middleware while a desk agent acts for someone: every row
# written then records which agent helped (the actor is the person helped).
acting_agent: ContextVar = ContextVar("agora_acting_agent", default=None)


# The ground layer does not import the apps above it, and agora.core imports this
# app: the actor (an agora.accounts User, anonymous or None), the organization, the
# space and the component are Any here.
def log_action(
    *,
    actor: Any,
    verb: str,
    target: Model | None,
    organization: Any,
    space: Any = None,
    component: Any = None,
    visibility: str = ActionLog.Visibility.ADMIN,
    data: dict | None = None,
) -> ActionLog:
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


# --- the one call: log the action and send its notifications -----------------------


class _Same:
    """The traced action's own value (its actor, its target)."""

    def __repr__(self) -> str:
        return "SAME"


SAME: Any = _Same()


@dataclass(frozen=True)
class Notice:
    """A notification of a traced action, handed to agora.notifications.

    `to`: people (users or ids) told directly. With `followers`, also the
    followers of the target (and of the space and of the actor, unless
    `space_followers` / `actor_followers` are off), less `exclude`.
    `about`: those among the recipients the event is about (the author of an
    answered idea), e-mailed at once whatever digest they chose. `actor` and `target` are the
    action's unless given (a comment notifies about the idea commented on;
    a moderation decision names nobody: `actor=None`)."""

    event: str
    to: Iterable = ()
    followers: bool = False
    about: Iterable = ()
    exclude: Iterable = ()
    space_followers: bool = True
    actor_followers: bool = True
    actor: Any = SAME
    target: Any = SAME
    url: str = ""
    data: dict | None = None


# Set at start-up by agora.notifications (which sits above the action log).
_notifier: Callable | None = None


def register_notifier(send: Callable) -> None:
    """`send(notice, *, actor, target, organization, space)`: agora.notifications'
    AppConfig.ready registers it."""
    global _notifier
    _notifier = send


def trace(
    actor: Any,
    verb: str,
    target: Model | None,
    *,
    organization: Any = None,
    space: Any = None,
    component: Any = None,
    visibility: str = ActionLog.Visibility.ADMIN,
    data: dict | None = None,
    notify: Iterable[Notice] = (),
) -> ActionLog:
    """The one call of a service's side effects (Decidim's traceability): write
    the action-log row and hand the notifications of the action to
    agora.notifications. Call it inside the service's transaction: the row and
    the notification tasks are written with the change, so nothing is logged
    or sent for a change that rolled back, and the database task backend runs
    the notifications once it commits.

    `component` fills `space` and `organization` when they are not given."""
    if component is not None:
        space = space if space is not None else component.space
        organization = organization if organization is not None else component.space.organization
    if organization is None:
        raise TypeError("trace() needs an organization (or a component)")
    entry = log_action(
        actor=actor,
        verb=verb,
        target=target,
        organization=organization,
        space=space,
        component=component,
        visibility=visibility,
        data=data,
    )
    notices = list(notify)
    notifier = _notifier
    if notices and notifier is None:
        raise RuntimeError("agora.notifications is not ready: no notifier registered")
    for notice in notices:
        assert notifier is not None  # (checked above when there is a notice)
        notifier(
            notice,
            actor=actor if notice.actor is SAME else notice.actor,
            target=target if notice.target is SAME else notice.target,
            organization=organization,
            space=space,
        )
    return entry
