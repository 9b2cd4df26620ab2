"""Sentences of the public API's verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "api.token_created": _("%(actor)s created the API token “%(target)s”"),
        "api.token_revoked": _("%(actor)s revoked the API token “%(target)s”"),
        "api.token_used": _("%(actor)s used the API token “%(target)s”"),
    }
)
