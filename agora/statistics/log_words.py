"""Sentences of the statistics' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "statistics.settings_updated": _("%(actor)s changed whether participation figures are public"),
        "statistics.reference_updated": _("%(actor)s updated the reference population"),
    }
)
