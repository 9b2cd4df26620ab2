"""Sentences of the verifications' verbs in the action log (agora.actionlog.wording):
method codes ("in_person") read as their names ("In person at a desk")."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register
from agora.verifications import methods
from agora.verifications.phrases import action_phrase


def _method_and_person(entry, _memo):
    data = entry.data or {}
    method = methods.get(str(data.get("method", "")))
    # A verification is named "<method> · <person>" in target_repr.
    person = entry.target_repr.partition(" · ")[2] if " · " in entry.target_repr else entry.target_repr
    return {"method": method.label if method else (data.get("method") or "…"), "person": person or "…"}


def _rule(entry, _memo):
    action = str((entry.data or {}).get("action", ""))
    return {"action": action_phrase(action) if action else "…"}


register(
    {
        "verification.granted": _("%(actor)s: the account of %(person)s is verified (%(method)s)"),
        "verification.conflict": _(
            "%(actor)s: the identity of %(person)s already verifies another account (%(method)s)"
        ),
        "verification.letter_requested": _("%(actor)s asked for a verification letter"),
        "verification.letter_sent": _("%(actor)s marked the verification letter to %(person)s as sent"),
        "verification.sms_sent": _("%(actor)s asked for a verification code by SMS"),
        "verification.document_submitted": _("%(actor)s sent an identity document to check"),
        "verification.rejected": _("%(actor)s refused the verification of %(person)s (%(method)s)"),
        "verification.revoked": _("%(actor)s revoked the verification of %(person)s (%(method)s)"),
        "verification.transferred": _(
            "%(actor)s moved the verified identity to the account of %(person)s (%(method)s)"
        ),
        "verification.method_enabled": _("%(actor)s turned on verification by %(method)s"),
        "verification.method_disabled": _("%(actor)s turned off verification by %(method)s"),
        "verification.method_updated": _("%(actor)s changed the settings of verification by %(method)s"),
    },
    params=_method_and_person,
)

register(
    {
        "verification.census_imported": _("%(actor)s replaced the census (%(rows)s people)"),
        "verification.census_added": _("%(actor)s added %(added)s people to the census (%(rows)s lines read)"),
        "verification.eligibility_saved": _("%(actor)s changed who may %(action)s in “%(target)s”"),
    },
    params=_rule,
)
