"""Sentences of the privacy verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "privacy.data_requested": _("%(actor)s asked for a copy of their data"),
        "privacy.settings_saved": _("%(actor)s changed how long personal data is kept"),
        "privacy.inactive_account_deleted": _("An account inactive for too long was deleted"),
        "privacy.verifications_trimmed": _("The data of old verifications was erased"),
    }
)
