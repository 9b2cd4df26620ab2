"""Permission rules of the surveys component, and what the questionnaires
app asks about a survey's questionnaire (who manages it)."""

from django.utils.translation import gettext as _

from agora.components.surveys.models import Survey
from agora.components.surveys.selectors import survey_of
from agora.core.formats import long_datetime
from agora.permissions import ALLOWED, can, component_action, deny, rule
from agora.questionnaires import owners


@rule("surveys.respond")
def _respond(user, component):
    """Answer the survey (or change one's answers): within the survey's time
    window, while the phase opens answers; then the component's common checks
    (visible, may take part, eligibility of "respond"), or, when the survey
    takes answers from people without an account, only that it is visible."""
    survey = survey_of(component)
    if survey is None:
        return deny(_("This survey is not ready yet."))
    state = survey.window_state()
    if state == "before":
        return deny(_("The survey opens on %(date)s.") % {"date": long_datetime(survey.opens_at)})
    if state == "after":
        return deny(_("The survey closed on %(date)s.") % {"date": long_datetime(survey.closes_at)})
    if not user.is_authenticated and component.settings_of().anonymous_answers:
        viewing = can(user, "component.view", component)
        if not viewing:
            return viewing
        if not component.phase_settings_of().answers_enabled:
            return deny(_("This is not open during the current phase."))
        return ALLOWED
    return component_action(user, component, "respond", phase_setting="answers_enabled")


@rule("surveys.manage")
def _manage(user, component):
    """The questions, settings, results, publication, exports and paper answers of a survey."""
    return can(user, "component.manage", component)


def register_owner():
    """A survey's questionnaire is managed by whoever manages the survey."""

    def survey(questionnaire):
        return Survey.objects.select_related("component__space__organization").get(questionnaire=questionnaire)

    owners.register(
        "surveys.survey",
        owners.Owner(
            manage=lambda user, questionnaire: can(user, "surveys.manage", survey(questionnaire).component),
            component=lambda questionnaire: survey(questionnaire).component,
        ),
    )
