"""Sentences of the ideas' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "proposals.draft_created": _("%(actor)s started a draft idea “%(target)s”"),
        "proposals.draft_updated": _("%(actor)s edited the draft idea “%(target)s”"),
        "proposals.published": _("%(actor)s published the idea “%(target)s”"),
        "proposals.edited": _("%(actor)s edited the idea “%(target)s”"),
        "proposals.withdrawn": _("%(actor)s withdrew the idea “%(target)s”"),
        "proposals.supported": _("%(actor)s supported the idea “%(target)s”"),
        "proposals.unsupported": _("%(actor)s withdrew their support from the idea “%(target)s”"),
        "proposals.taxonomy_offered": _("%(actor)s chose the categories and scopes offered in “%(target)s”"),
        "proposals.map_layer_added": _("%(actor)s added the map layer “%(target)s”"),
        "proposals.map_layer_deleted": _("%(actor)s deleted the map layer “%(target)s”"),
        "proposals.entered": _("%(actor)s entered the idea “%(target)s” for a resident"),
        "proposals.ideas_import_preview": _("%(actor)s checked a file of ideas (%(filename)s, %(rows)s lines)"),
        "proposals.ideas_imported": _("%(actor)s imported ideas from %(filename)s (%(rows)s lines)"),
    }
)
