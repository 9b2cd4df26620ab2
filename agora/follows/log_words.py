"""Sentences of the follows' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "follows.followed": _("%(actor)s followed “%(target)s”"),
        "follows.unfollowed": _("%(actor)s stopped following “%(target)s”"),
    }
)
