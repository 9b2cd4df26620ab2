"""Sentences of the surveys' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register


def _channel(entry, _memo):
    channel = (entry.data or {}).get("channel", "")
    labels = {"online": _("online"), "desk": _("at a desk"), "paper": _("on paper")}
    return {"channel": labels.get(channel, channel or _("online"))}


register(
    {
        "surveys.survey_updated": _("%(actor)s changed the settings of the survey “%(target)s”"),
        "surveys.paper_answers_entered": _("%(actor)s typed in a paper questionnaire of “%(target)s” (%(reference)s)"),
        "surveys.results_published": _("%(actor)s published the results of the survey “%(target)s”"),
        "surveys.results_unpublished": _("%(actor)s withdrew the published results of the survey “%(target)s”"),
        "surveys.answers_exported": _("%(actor)s exported the answers to the survey “%(target)s” (%(format)s)"),
    }
)
register(
    {
        "surveys.answered": _("%(actor)s answered the survey “%(target)s” (%(channel)s)"),
        "surveys.answers_changed": _("%(actor)s changed their answers to the survey “%(target)s” (%(channel)s)"),
    },
    params=_channel,
)
