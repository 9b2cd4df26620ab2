"""Sentences of the notifications' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "notifications.preferences_updated": _("%(actor)s changed their notification settings"),
        "notifications.unsubscribed": _("%(actor)s unsubscribed from e-mail notifications"),
    }
)
