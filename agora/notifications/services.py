"""Publishing notifications and the writes of the notification pages.

A service announces what it did with `agora.actionlog.services.trace(...,
notify=[Notice(...)])`: the log row and the notifications in one call; the
notices come here (`send_notice`). Two ways to publish, both cheap for the
caller (the work runs as a django-tasks background task, enqueued in the
caller's transaction):

- `notify(...)`: explicit recipients (moderators of a space, the other
  people of a private conversation, the person mentioned ...).
- `publish(...)`: fan-out to the followers of the target, of the space and
  of the actor, plus `extra_recipient_ids` (the author of the idea ...).

Nobody is ever notified of their own action; deleted and deactivated
accounts, people who muted the event and people who may not see the space
(private spaces) are left out when the task runs."""

import json
from collections.abc import Iterable
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from agora import visitor
from agora.accounts.models import User
from agora.actionlog.services import Notice, log_action
from agora.core.models import Organization
from agora.notifications.events import get as get_event
from agora.notifications.events import require_event
from agora.notifications.links import read_unsubscribe_token, safe_url, unsubscribe_token  # noqa: F401 (also offered here)
from agora.notifications.models import Notification, Preference
from agora.notifications.tasks import deliver_task, fanout_task
from agora.permissions import require
from agora.spaces.models import Space

# People named to notify: users or user ids (None, an author gone, is skipped).
People = Iterable[User | int | None]


def _ids(people: People | None) -> list[int]:
    ids: set[int | None] = set()
    for person in people or ():
        if person is None:
            continue
        ids.add(person if isinstance(person, int) else person.pk)
    ids.discard(None)
    return sorted(cast(set[int], ids))


def _payload(
    *,
    event: str,
    actor: User | AnonymousUser | None,
    target: Model | None,
    organization: Organization,
    space: Space | None,
    url: str,
    data: dict | None,
    personal_ids: People = (),
) -> dict:
    require_event(event)
    if not url and target is not None and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    url = safe_url(url)
    # JSON only (the task queue stores it): anything else becomes text.
    data = json.loads(json.dumps(data or {}, default=str))
    return {
        "event": event,
        "actor_id": actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None,
        "target_type_id": ContentType.objects.get_for_model(target).pk if target is not None else None,
        "target_id": str(target.pk) if target is not None else "",
        "target_repr": str(target)[:300] if target is not None else "",
        "organization_id": organization.pk,
        "space_id": space.pk if space is not None else None,
        "url": url or "",
        "data": data,
        # Recipients the event is about (the author of the idea answered): e-mailed at once.
        "personal_ids": _ids(personal_ids),
    }


def notify(
    *,
    event: str,
    recipients: People,
    actor: User | AnonymousUser | None = None,
    target: Model | None = None,
    organization: Organization,
    space: Space | None = None,
    url: str = "",
    data: dict | None = None,
    personal_recipient_ids: People = (),
) -> None:
    """Notify the given people (users or user ids) of `event`.
    `personal_recipient_ids`: those the event is about (see `publish`)."""
    payload = _payload(
        event=event,
        actor=actor,
        target=target,
        organization=organization,
        space=space,
        url=url,
        data=data,
        personal_ids=personal_recipient_ids,
    )
    recipient_ids = _ids(recipients)
    if recipient_ids:
        deliver_task.enqueue(payload, recipient_ids)


def publish(
    *,
    event: str,
    actor: User | AnonymousUser | None,
    target: Model | None,
    organization: Organization,
    space: Space | None = None,
    url: str = "",
    data: dict | None = None,
    extra_recipient_ids: People = (),
    exclude_recipient_ids: People = (),
    space_followers: bool = True,
    actor_followers: bool = True,
    personal_recipient_ids: People = (),
) -> None:
    """Notify the followers of `target` (and of `space` and of the actor,
    unless turned off) and `extra_recipient_ids` of `event`.
    `exclude_recipient_ids`: people already told by a more precise
    notification of the same action (the person replied to, mentioned ...).
    `personal_recipient_ids`: the people the event is about (the author of
    an idea that was answered), e-mailed at once like events registered as
    personal, while followers get it in their digest."""
    payload = _payload(
        event=event,
        actor=actor,
        target=target,
        organization=organization,
        space=space,
        url=url,
        data=data,
        personal_ids=personal_recipient_ids,
    )
    fanout_task.enqueue(
        payload, _ids(extra_recipient_ids), _ids(exclude_recipient_ids), space_followers, actor_followers
    )


def send_notice(
    notice: Notice,
    *,
    actor: User | AnonymousUser | None,
    target: Model | None,
    organization: Organization,
    space: Space | None,
) -> None:
    """A notice of `agora.actionlog.services.trace` (registered as its notifier):
    `publish` when it goes to followers, `notify` otherwise."""
    common: dict[str, Any] = {
        "event": notice.event,
        "actor": actor,
        "target": target,
        "organization": organization,
        "space": space,
        "url": notice.url,
        "data": notice.data,
        "personal_recipient_ids": notice.about,
    }
    if notice.followers:
        publish(
            extra_recipient_ids=notice.to,
            exclude_recipient_ids=notice.exclude,
            space_followers=notice.space_followers,
            actor_followers=notice.actor_followers,
            **common,
        )
    else:
        notify(recipients=notice.to, **common)


# --- the pages -------------------------------------------------------------------


def mark_read(*, user: User, notification: Notification) -> None:
    """Personal reading state: not written to the action log."""
    require(user, "notifications.read", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        visitor.forget(user)


def mark_all_read(*, user: User, organization: Organization) -> int:
    require(user, "notifications.own", organization)
    count = Notification.objects.filter(recipient=user, organization=organization, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    visitor.forget(user)
    return count


def preference_for(user: User, organization: Organization) -> Preference:
    """The stored preference, or an unsaved one with the defaults."""
    return Preference.objects.filter(user=user, organization=organization).first() or Preference(
        user=user, organization=organization
    )


@transaction.atomic
def update_preferences(
    *, user: User, organization: Organization, email_frequency: str, muted_events: Iterable[str] = ()
) -> Preference:
    require(user, "notifications.own", organization)
    if email_frequency not in Preference.Frequency.values:
        raise ValueError(f"Unknown e-mail frequency {email_frequency!r}")
    muted = sorted({name for name in muted_events if getattr(get_event(name), "mutable", False)})
    preference, _created = Preference.objects.update_or_create(
        user=user,
        organization=organization,
        defaults={"email_frequency": email_frequency, "muted_events": muted},
    )
    log_action(
        actor=user,
        verb="notifications.preferences_updated",
        target=user,
        organization=organization,
        data={"email_frequency": email_frequency, "muted_events": muted},
    )
    return preference


# --- unsubscribing from an e-mail (no log-in) -----------------------------------------


@transaction.atomic
def unsubscribe(*, token: str, organization: Organization) -> bool:
    """Stop every notification e-mail of the organization for the person the
    signed token names. The token is the permission: no log-in needed.
    Returns False for an invalid token or one for another organization."""
    parsed = read_unsubscribe_token(token)
    if parsed is None or parsed[1] != organization.pk:
        return False
    user = User.objects.filter(pk=parsed[0]).first()
    if user is None:
        return False
    Preference.objects.update_or_create(
        user=user, organization=organization, defaults={"email_frequency": Preference.Frequency.NONE}
    )
    Notification.objects.filter(recipient=user, organization=organization, email_pending=True).update(
        email_pending=False
    )
    log_action(actor=user, verb="notifications.unsubscribed", target=user, organization=organization)
    return True
