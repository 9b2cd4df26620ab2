"""Sentences of the questionnaires' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "questionnaires.question_added": _("%(actor)s added the question “%(target)s”"),
        "questionnaires.question_updated": _("%(actor)s edited the question “%(target)s”"),
        "questionnaires.question_deleted": _("%(actor)s deleted the question “%(title)s”"),
        "questionnaires.question_moved": _("%(actor)s moved the question “%(target)s”"),
        "questionnaires.question_duplicated": _("%(actor)s duplicated a question as “%(target)s”"),
        "questionnaires.conditions_set": _("%(actor)s changed when the question “%(target)s” is shown"),
        "questionnaires.reordered": _("%(actor)s reordered the questions of “%(target)s”"),
        "questionnaires.copied": _("%(actor)s copied the questions of “%(from_title)s” into “%(target)s”"),
        "questionnaires.template_saved": _("%(actor)s kept “%(target)s” in the template library"),
        "questionnaires.template_deleted": _("%(actor)s deleted the template “%(title)s”"),
    }
)
