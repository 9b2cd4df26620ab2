"""Sentences of the open data's verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "opendata.licence_set": _("%(actor)s chose the licence of the open data"),
        "opendata.build_requested": _("%(actor)s asked for the open data to be built again"),
    }
)
