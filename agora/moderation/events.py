"""Notification events of moderation (agora.notifications)."""

from django.utils.translation import gettext_lazy as _

from agora.notifications import events

events.register(
    "moderation.new_report", label=_("New report in a space I moderate"),
    message=_("%(actor)s reported a contribution (%(reason)s): “%(excerpt)s”"),
)
