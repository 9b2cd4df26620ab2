"""Permission rules of the questionnaires: the owner decides for its own
questionnaire; the organization's template library is kept by its
administrators and the administrators of its spaces."""

from django.utils.translation import gettext as _

from agora.permissions import deny, is_organization_admin, roles_in, rule
from agora.questionnaires.owners import owner_of


def _keeps_templates(user, organization):
    if is_organization_admin(user, organization):
        return True
    return any(name == "space_admin" for name, _space in roles_in(user, organization))


@rule("questionnaires.manage")
def _manage(user, questionnaire):
    """Change the questions (and read the answers) of a questionnaire."""
    if not user.is_authenticated:
        return deny(_("Log in to continue."))
    owner = owner_of(questionnaire)
    if owner is not None:
        return owner.manage(user, questionnaire)
    if questionnaire.is_template and _keeps_templates(user, questionnaire.organization):
        return True
    return deny(_("Only the administrators of this questionnaire can change it."))


@rule("questionnaires.use_template")
def _use_template(user, questionnaire):
    """Copy a template of the library (or another questionnaire of the organization) into one's own."""
    if not user.is_authenticated:
        return deny(_("Log in to continue."))
    if questionnaire.is_template:
        return _keeps_templates(user, questionnaire.organization) or deny(
            _("Only the organization's administrators and space administrators use the template library.")
        )
    return _manage(user, questionnaire)
