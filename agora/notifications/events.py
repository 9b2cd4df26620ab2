"""The registry of notification events.

A component declares the events it emits in its manifest
(`ComponentManifest(events=(NotificationEvent(...), ...))`), read here: the
notifications layer never imports a component. Other apps register theirs
when they load (in their AppConfig.ready or a module imported from there):

    from agora.notifications import events
    events.register(
        "conversations.new_message",
        label=_("New private message"),
        message=_("%(actor)s sent you a private message"),
    )

`label` names the event on the preferences page (people may mute it);
`message` is the one-line text of a notification, formatted with
`actor` (public name), `target` (the target's text when published) and the
keys of the notification's `data`. Everything is escaped when shown."""

from django.utils.translation import gettext_lazy as _

from agora.components.registry import NotificationEvent, once_ready, registry

# One type for an event, declared by a component or registered by a layer: a
# name, the label of the preferences page, the message; `mutable` False for events
# people may not mute (moderation decisions about them ...); `personal` for events
# about the recipient themself (a reply to them, a mention, a decision on their
# contribution): e-mailed at once whatever digest they chose ("no e-mail" aside).
Event = NotificationEvent

_events: dict[str, Event] = {}


@once_ready
def _declared() -> dict[str, Event]:
    """The events of the component manifests."""
    return {event.name: event for event in registry.events()}


def register(name: str, label, description="", message="", mutable: bool = True, personal: bool = False) -> Event:
    if name in _events:
        raise ValueError(f"Notification event {name!r} is registered twice")
    event = Event(name=name, label=label, description=description, message=message, mutable=mutable, personal=personal)
    _events[name] = event
    return event


def get(name: str) -> Event | None:
    return _events.get(name) or _declared().get(name)


def all_events() -> list[Event]:
    return sorted({**_declared(), **_events}.values(), key=lambda event: event.name)


def require_event(name: str) -> Event:
    event = get(name)
    if event is None:
        raise KeyError(
            f"Unknown notification event {name!r}: declare it in the component's manifest "
            "(`events`) or register it in agora.notifications.events"
        )
    return event


# Events of the conversation layer itself.
register(
    "follows.new_follower",
    label=_("Someone follows me"),
    message=_("%(actor)s follows you"),
)
register(
    "comments.new_comment",
    label=_("New comment on something I follow"),
    message=_("%(actor)s commented on “%(target)s”"),
)
register(
    "comments.reply",
    label=_("Reply to my comment"),
    personal=True,
    message=_("%(actor)s replied to your comment on “%(target)s”"),
)
register(
    "comments.mention",
    label=_("Someone mentions me"),
    personal=True,
    message=_("%(actor)s mentioned you in a comment on “%(target)s”"),
)
