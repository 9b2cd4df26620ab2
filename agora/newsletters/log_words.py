"""Sentences of the newsletters' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "newsletters.created": _("%(actor)s started the newsletter “%(target)s”"),
        "newsletters.updated": _("%(actor)s edited the newsletter “%(target)s”"),
        "newsletters.deleted": _("%(actor)s deleted a draft newsletter"),
        "newsletters.audience_set": _("%(actor)s chose the audience of the newsletter “%(target)s”"),
        "newsletters.block_saved": _("%(actor)s edited a block of the newsletter “%(target)s”"),
        "newsletters.block_deleted": _("%(actor)s deleted a block of the newsletter “%(target)s”"),
        "newsletters.tested": _("%(actor)s sent themself a test of the newsletter “%(target)s”"),
        "newsletters.sent": _("%(actor)s sent the newsletter “%(target)s”"),
        "newsletters.scheduled": _("%(actor)s scheduled the newsletter “%(target)s”"),
        "newsletters.unscheduled": _("%(actor)s cancelled the sending of the newsletter “%(target)s”"),
        "newsletters.resent_possibly_sent": _(
            "%(actor)s sent the newsletter “%(target)s” again to the people it was possibly sent to"
        ),
    }
)
