"""Sentences of the comments' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "comments.created": _("%(actor)s commented in “%(component)s”: “%(target)s”"),
        "comments.updated": _("%(actor)s edited their comment in “%(component)s”: “%(target)s”"),
        "comments.deleted": _("%(actor)s deleted a comment in “%(component)s”"),
        "comments.voted": _("%(actor)s voted on a comment in “%(component)s”: “%(target)s”"),
    }
)
