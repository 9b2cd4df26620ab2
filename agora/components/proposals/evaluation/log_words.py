"""Sentences of the evaluation's verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register
from agora.components.proposals.models import ProposalState


def _state_name(entry, memo):
    key = ("proposal_states", entry.component_id)
    if key not in memo:  # the states of a component, read once per page
        memo[key] = {state.token: str(state) for state in ProposalState.objects.filter(component_id=entry.component_id)}
    token = (entry.data or {}).get("state")
    return {"state": memo[key].get(token, token) if token else _("none")}


register(
    {
        "proposal.answer": _("%(actor)s answered the idea “%(target)s” (state: %(state)s)"),
        "proposal.answer_publish": _("%(actor)s published the answer to the idea “%(target)s” (state: %(state)s)"),
    },
    params=_state_name,
)

register(
    {
        "proposal.answers_import_preview": _("%(actor)s checked a file of answers (%(filename)s, %(rows)s lines)"),
        "proposal.answers_import": _("%(actor)s imported answers from %(filename)s (%(rows)s lines)"),
        "proposal.assign": _("%(actor)s asked %(evaluator_name)s to evaluate the idea “%(target)s”"),
        "proposal.unassign": _("%(actor)s withdrew the idea “%(target)s” from %(evaluator_name)s"),
        "proposal.bulk_update": _(
            "%(actor)s changed the category, scope or state of the idea “%(target)s” with others at once"
        ),
        "proposal.evaluate": _("%(actor)s evaluated the idea “%(target)s”"),
        "proposal.export_staff": _("%(actor)s exported the ideas with the evaluations (%(format)s, %(rows)s rows)"),
        "proposal_state.create": _("%(actor)s created the idea state “%(target)s”"),
        "proposal_state.update": _("%(actor)s edited the idea state “%(target)s”"),
        "proposal_state.delete": _("%(actor)s deleted the idea state “%(target)s”"),
        "proposal_state.move": _("%(actor)s moved the idea state “%(target)s”"),
        "proposal_field.create": _("%(actor)s added the idea field “%(target)s”"),
        "proposal_field.update": _("%(actor)s edited the idea field “%(target)s”"),
        "proposal_field.delete": _("%(actor)s deleted the idea field “%(target)s”"),
        "proposal_field.move": _("%(actor)s moved the idea field “%(target)s”"),
        "evaluation_criterion.create": _("%(actor)s added the evaluation criterion “%(target)s”"),
        "evaluation_criterion.update": _("%(actor)s edited the evaluation criterion “%(target)s”"),
        "evaluation_criterion.delete": _("%(actor)s deleted the evaluation criterion “%(target)s”"),
        "evaluation_criterion.move": _("%(actor)s moved the evaluation criterion “%(target)s”"),
    }
)
