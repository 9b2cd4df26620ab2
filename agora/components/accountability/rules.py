"""Permission rules of the follow-up component (registered in apps.ready).

Only the staff who manage the component (the space's administrators and the
organization's) edit results, statuses, milestones and photos, import and
export: collaborators (read-only preview), moderators and evaluators of the
space are refused, like the admins of other spaces."""

from django.utils.translation import gettext as _

from agora.permissions import can, deny, rule


@rule("accountability.manage")
def _manage(user, component):
    return can(user, "component.manage", component) or deny(
        _("Only this space's administrators can edit the follow-up of results.")
    )
