"""Sentences of the initiatives' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "initiatives.type_created": _("%(actor)s created the kind of initiative “%(target)s”"),
        "initiatives.type_updated": _("%(actor)s edited the kind of initiative “%(target)s”"),
        "initiatives.type_deleted": _("%(actor)s deleted the kind of initiative “%(target)s”"),
        "initiatives.tier_created": _("%(actor)s added a tier to “%(target)s”"),
        "initiatives.tier_saved": _("%(actor)s edited a tier of “%(target)s”"),
        "initiatives.tier_deleted": _("%(actor)s deleted a tier of “%(target)s”"),
        "initiatives.scope_threshold_saved": _("%(actor)s set a district's threshold in “%(target)s”"),
        "initiatives.created": _("%(actor)s filed the initiative “%(target)s”"),
        "initiatives.updated": _("%(actor)s edited the initiative “%(target)s”"),
        "initiatives.invited": _("%(actor)s invited someone to the committee of “%(target)s”"),
        "initiatives.joined": _("%(actor)s joined the committee of “%(target)s”"),
        "initiatives.submitted": _("%(actor)s submitted the initiative “%(target)s” to the city"),
        "initiatives.admitted": _("%(actor)s declared the initiative “%(target)s” admissible"),
        "initiatives.refused": _("%(actor)s declared the initiative “%(target)s” not admissible"),
        "initiatives.signed": _("%(actor)s signed the initiative “%(target)s”"),
        "initiatives.withdrawn": _("%(actor)s withdrew their signature from “%(target)s”"),
        "initiatives.progress": _("The initiative “%(target)s” is on its way to its next tier"),
        "initiatives.tier_reached": _("The initiative “%(target)s” reached a tier"),
        "initiatives.closed": _("The collection of the initiative “%(target)s” is over"),
        "initiatives.lapsed": _("The initiative “%(target)s” lapsed"),
        "initiatives.answered": _("%(actor)s published the city's response to “%(target)s”"),
        "initiatives.paper_line": _("%(actor)s entered a paper signature of “%(target)s”"),
        "initiatives.paper_sheet": _("%(actor)s entered a counted paper sheet of “%(target)s”"),
        "initiatives.seed_published": _("%(actor)s published the seed of the sample of “%(target)s”"),
        "initiatives.sample_drawn": _("%(actor)s drew the verification sample of “%(target)s”"),
        "initiatives.struck": _("%(actor)s struck an invalid signature of “%(target)s”"),
        "initiatives.sample_checked": _("%(actor)s recorded the outcome of the verification sample of “%(target)s”"),
        "initiatives.vote_opened": _("A citizen vote was opened on “%(target)s”"),
    }
)
