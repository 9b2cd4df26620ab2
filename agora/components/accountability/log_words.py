"""Sentences of the follow-up's verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register


def _import_kind(entry, _memo):
    kind = (entry.data or {}).get("kind")
    return {"kind": _("budget projects") if kind == "budgets" else _("ideas")}


register(
    {
        "accountability.result_created": _("%(actor)s added the result “%(target)s” to the follow-up"),
        "accountability.result_updated": _("%(actor)s edited the result “%(target)s”"),
        "accountability.result_moved": _("%(actor)s moved the result “%(target)s”"),
        "accountability.result_deleted": _("%(actor)s deleted the result “%(target)s”"),
        "accountability.status_changed": _("%(actor)s changed the status of “%(target)s” from “%(from)s” to “%(to)s”"),
        "accountability.bulk_status_changed": _("%(actor)s set the status “%(target)s” on %(count)s results"),
        "accountability.status_created": _("%(actor)s created the follow-up status “%(target)s”"),
        "accountability.status_updated": _("%(actor)s edited the follow-up status “%(target)s”"),
        "accountability.status_deleted": _("%(actor)s deleted the follow-up status “%(target)s”"),
        "accountability.milestone_created": _("%(actor)s added the milestone “%(target)s”"),
        "accountability.milestone_updated": _("%(actor)s edited the milestone “%(target)s”"),
        "accountability.milestone_deleted": _("%(actor)s deleted the milestone “%(target)s”"),
        "accountability.photo_added": _("%(actor)s added a photo to a milestone"),
        "accountability.photo_updated": _("%(actor)s edited a photo of a milestone"),
        "accountability.photo_deleted": _("%(actor)s deleted a photo of a milestone"),
        "accountability.csv_imported": _(
            "%(actor)s imported results from a spreadsheet (%(created)s created, %(updated)s updated)"
        ),
    }
)

register(
    {
        "accountability.imported": _("%(actor)s imported %(count)s %(kind)s as results"),
    },
    params=_import_kind,
)
