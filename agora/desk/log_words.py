"""Sentences of the desk's verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "desk.agent_granted": _("%(actor)s made %(target)s a desk agent"),
        "desk.agent_revoked": _("%(actor)s withdrew the desk agent role from %(target)s"),
        "desk.participant_created": _("%(actor)s created an account at a desk for %(target)s"),
        "desk.acting_started": _("%(actor)s started helping %(target)s at a desk"),
        "desk.acting_stopped": _("%(actor)s stopped helping %(target)s at a desk"),
        "desk.claim_started": _("%(actor)s sent %(target)s the link to take over their account"),
    }
)
