"""Sentences of the private conversations' verbs in the action log
(agora.actionlog.wording): never a name or a message."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "conversations.started": _("%(actor)s started a private conversation"),
        "conversations.replied": _("%(actor)s replied in a private conversation"),
        "conversations.left": _("%(actor)s left a private conversation"),
        "conversations.person_blocked": _("%(actor)s blocked someone from writing to them"),
        "conversations.person_unblocked": _("%(actor)s allowed someone to write to them again"),
        "conversations.preferences_updated": _("%(actor)s changed who may write to them"),
    }
)
