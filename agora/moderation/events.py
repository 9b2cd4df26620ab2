"""Notification events of moderation (agora.notifications)."""

from django.utils.translation import gettext_lazy as _

from agora.notifications import events

events.register(
    "moderation.new_report",
    label=_("New report in a space I moderate"),
    message=_("%(actor)s reported a contribution (%(reason)s): “%(excerpt)s”"),
)

# Decisions about a person's own contribution: always sent (not on the preferences page).
events.register(
    "moderation.content_hidden",
    label=_("A moderator hid one of my contributions"),
    mutable=False,
    personal=True,
    message=_(
        "A moderator hid your contribution “%(excerpt)s”. Contact the organization if you think this is a mistake."
    ),
)
events.register(
    "moderation.content_hidden_by_reports",
    label=_("One of my contributions is hidden after reports"),
    mutable=False,
    personal=True,
    message=_("Your contribution “%(excerpt)s” is hidden after several reports, until a moderator reviews it."),
)
events.register(
    "moderation.content_restored",
    label=_("One of my hidden contributions is visible again"),
    mutable=False,
    personal=True,
    message=_("A moderator made your contribution “%(excerpt)s” visible again."),
)
