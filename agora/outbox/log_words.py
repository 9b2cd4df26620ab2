"""Sentences of the outbox's verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "outbox.retried": _("%(actor)s sent an e-mail again that had not been sent"),
        "outbox.released": _("%(actor)s released the e-mails held after a restore (%(held)s e-mails)"),
    }
)
