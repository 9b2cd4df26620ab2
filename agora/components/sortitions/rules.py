"""Permission rules of the sortitions component (registered in apps.ready)."""

from django.utils.translation import gettext as _

from agora.components.sortitions.models import Sortition
from agora.permissions import can, component_action, deny, rule
from agora.questionnaires import owners


@rule("sortitions.manage")
def _manage(user, component):
    """Pools, quotas, selections, commitments, draws and replacements: the space's administrators."""
    return can(user, "component.manage", component)


@rule("sortitions.view")
def _view(user, component):
    """The published distributions and verification bundles: whoever sees the component."""
    return can(user, "component.view", component)


@rule("sortitions.volunteer")
def _volunteer(user, sortition):
    """Register in the pool through its form: while the officer keeps registration open and
    no selection has started, for whoever may take part and meets the eligibility rules of
    "volunteer"."""
    if not sortition.registration_open or sortition.questionnaire_id is None:
        return deny(_("Registration to this pool is closed."))
    if sortition.draws.exists():
        return deny(_("Registration to this pool closed when the draw started."))
    return component_action(user, sortition.component, "volunteer", resource=sortition)


def register_owner():
    """A pool's registration form is managed by whoever manages the sortition."""

    def sortition(questionnaire):
        return Sortition.objects.select_related("component__space__organization").get(questionnaire=questionnaire)

    owners.register(
        "sortitions.sortition",
        owners.Owner(
            manage=lambda user, questionnaire: can(user, "sortitions.manage", sortition(questionnaire).component),
            component=lambda questionnaire: sortition(questionnaire).component,
        ),
    )
