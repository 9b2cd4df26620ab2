"""Sentences of the citizen votes' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "votations.created": _("%(actor)s created the vote “%(target)s”"),
        "votations.updated": _("%(actor)s edited the vote “%(target)s”"),
        "votations.deleted": _("%(actor)s deleted the vote “%(target)s”"),
        "votations.question_saved": _("%(actor)s saved a question of the vote “%(target)s”"),
        "votations.question_deleted": _("%(actor)s deleted a question of the vote “%(target)s”"),
        "votations.option_saved": _("%(actor)s saved an option of the vote “%(target)s”"),
        "votations.option_deleted": _("%(actor)s deleted an option of the vote “%(target)s”"),
        "votations.document_added": _("%(actor)s added a document to the booklet of “%(target)s”"),
        "votations.document_deleted": _("%(actor)s deleted a document of the booklet of “%(target)s”"),
        "votations.opened": _("%(actor)s opened the vote “%(target)s”"),
        "votations.closed": _("%(actor)s closed the vote “%(target)s”"),
        "votations.station_counted": _("%(actor)s entered the count of a polling station of “%(target)s”"),
        "votations.ballots_exported": _("%(actor)s exported the anonymised ballots of “%(target)s”"),
        "votations.voted": _("%(actor)s voted in “%(target)s”"),
        "votations.paper_ballot": _("%(actor)s entered a paper ballot of “%(target)s”"),
    }
)
