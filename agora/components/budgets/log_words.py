"""Sentences of the budgets' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register
from agora.components.budgets.models import Override


def _channel(entry, _memo):
    channel = (entry.data or {}).get("channel", "")
    labels = {"online": _("online"), "desk": _("at a desk"), "paper": _("on paper")}
    return {"channel": labels.get(channel, channel or _("online"))}


register(
    {
        "budgets.budget_created": _("%(actor)s created the budget “%(target)s”"),
        "budgets.budget_updated": _("%(actor)s changed the settings of the budget “%(target)s”"),
        "budgets.budget_deleted": _("%(actor)s deleted the budget “%(target)s”"),
        "budgets.project_created": _("%(actor)s added the project “%(target)s”"),
        "budgets.project_updated": _("%(actor)s edited the project “%(target)s”"),
        "budgets.project_deleted": _("%(actor)s deleted the project “%(target)s”"),
        "budgets.paper_ballot_entered": _("%(actor)s entered a paper ballot for “%(target)s” (batch %(reference)s)"),
        "budgets.paper_counts_imported": _("%(actor)s imported the paper counts of “%(target)s” from %(file)s"),
        "budgets.results_published": _("%(actor)s published the results of “%(target)s”"),
        "budgets.results_unpublished": _("%(actor)s withdrew the results of “%(target)s”"),
        "budgets.results_republished": _(
            "%(actor)s published the results of “%(target)s” again, corrected: %(reason)s"
        ),
        "budgets.results_withdrawn": _("%(actor)s withdrew the published results of “%(target)s”: %(reason)s"),
        "budgets.ballots_exported": _("%(actor)s exported the ballots of “%(target)s” (%(format)s)"),
        "budgets.pabulib_imported": _("%(actor)s imported “%(target)s” from a pabulib file (%(ballots)s ballots)"),
        "budgets.tie_order_drawn": _("The order of tied projects of “%(target)s” was drawn by lot"),
    }
)


def _decision(entry, _memo):
    decision = (entry.data or {}).get("decision", "")
    return {"decision": Override.Decision(decision).label if decision in Override.Decision.values else decision}


register(
    {
        "budgets.incompatibility_added": _("%(actor)s declared two projects of “%(target)s” incompatible: %(reason)s"),
        "budgets.incompatibility_removed": _("%(actor)s withdrew the incompatibility of two projects of “%(target)s”"),
        "budgets.override_set": _("%(actor)s took a decision on a project of “%(target)s” (%(decision)s): %(reason)s"),
        "budgets.override_removed": _("%(actor)s withdrew a decision on a project of “%(target)s” (%(decision)s)"),
    },
    params=_decision,
)

register(
    {
        "budgets.ballot_cast": _("%(actor)s voted in “%(target)s” (%(channel)s)"),
        "budgets.ballot_changed": _("%(actor)s changed their vote in “%(target)s” (%(channel)s)"),
    },
    params=_channel,
)
