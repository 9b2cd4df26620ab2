"""Sentences of the debates' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "debates.debate_created": _("%(actor)s opened the debate “%(target)s”"),
        "debates.debate_updated": _("%(actor)s edited the debate “%(target)s”"),
        "debates.information_added": _("%(actor)s added information to the debate “%(target)s”"),
        "debates.information_deleted": _("%(actor)s removed information from the debate “%(target)s”"),
        "debates.liked": _("%(actor)s liked the debate “%(target)s”"),
        "debates.unliked": _("%(actor)s took back their like of the debate “%(target)s”"),
        "debates.debate_closed": _("%(actor)s closed the debate “%(target)s” with its conclusions"),
    }
)
