"""Sentences of the sortitions' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "sortitions.created": _("%(actor)s created the sortition “%(target)s”"),
        "sortitions.pool_imported": _("%(actor)s imported the pool of the sortition “%(target)s”"),
        "sortitions.quotas_set": _("%(actor)s set the quotas of the sortition “%(target)s”"),
        "sortitions.selection_started": _("%(actor)s started the selection of the sortition “%(target)s”"),
        "sortitions.party_committed": _("%(actor)s recorded a commitment for the sortition “%(target)s”"),
        "sortitions.party_revealed": _("%(actor)s recorded a revealed secret for the sortition “%(target)s”"),
        "sortitions.drawn": _("%(actor)s drew the panel of the sortition “%(target)s”"),
        "sortitions.declined": _("%(actor)s recorded people declining in the sortition “%(target)s”"),
        "sortitions.replacement_started": _("%(actor)s started replacements in the sortition “%(target)s”"),
        "sortitions.ideas_published": _("%(actor)s published the candidate ideas of the drawing “%(target)s”"),
        "sortitions.ideas_drawn": _("%(actor)s drew the ideas of the drawing “%(target)s”"),
        "sortitions.idea_party_committed": _("%(actor)s recorded a commitment for the drawing of ideas “%(target)s”"),
        "sortitions.idea_party_revealed": _(
            "%(actor)s recorded a revealed secret for the drawing of ideas “%(target)s”"
        ),
        "sortitions.registration_opened": _("%(actor)s opened the registration of volunteers to “%(target)s”"),
        "sortitions.registration_closed": _("%(actor)s closed the registration of volunteers to “%(target)s”"),
        "sortitions.volunteered": _("%(actor)s registered as a volunteer in the pool of “%(target)s”"),
        "sortitions.panel_seated": _("%(actor)s made the panel of “%(target)s” members of an assembly"),
    }
)
