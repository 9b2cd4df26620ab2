"""Notification events of private conversations (agora.notifications).
The message's text is never in the notification, only who wrote."""

from django.utils.translation import gettext_lazy as _

from agora.notifications import events

events.register(
    "conversations.new_message",
    label=_("New private message"),
    personal=True,
    message=_("%(actor)s sent you a private message"),
)
