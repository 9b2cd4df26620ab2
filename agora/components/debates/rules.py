"""Permission rules of the debates component (registered in apps.ready)."""

from django.utils.translation import gettext as _

from agora.moderation.selectors import is_hidden
from agora.permissions import ALLOWED, can, component_action, deny, rule


@rule("debates.create")
def _create(user, component):
    """A participant opens a debate: only when the component lets participants
    open debates, and while the phase opens it (then the common checks and the
    eligibility rules of "create")."""
    if not component.settings_of().participant_debates:
        return deny(_("Only the organization opens debates here."))
    return component_action(user, component, "create", phase_setting="creation_enabled")


@rule("debates.view")
def _view(user, debate):
    """Whoever sees the component sees its debates, except one the moderators
    hid: then only the space's moderators."""
    decision = can(user, "component.view", debate.component)
    if not decision:
        return decision
    if is_hidden(debate) and not can(user, "moderation.manage", debate.component.space):
        return deny(_("This debate was hidden by the moderators."))
    return ALLOWED


@rule("debates.close")
def _close(user, debate):
    """The organization (the space's administrators) or the participant who
    opened it closes a debate with conclusions."""
    if debate.closed_at is not None:
        return deny(_("This debate is already closed."))
    if not user.is_authenticated:
        return can(user, "participate", debate.component.space.organization)  # the way to log in
    if can(user, "debates.manage", debate.component):
        return ALLOWED
    if debate.official or debate.author_id != user.pk:
        return deny(_("Only the organization or the author of the debate can close it."))
    decision = can(user, "debates.view", debate)
    if not decision:
        return decision
    return can(user, "participate", debate.component.space.organization)


@rule("debates.edit")
def _edit(user, debate):
    """The participant who opened a debate edits it (title, description,
    category, scope) as long as it is not closed, comments or not, as Decidim
    lets authors do (`Debate#editable_by?`: not closed and authored by the
    person). Official debates are edited in the back-office."""
    if not user.is_authenticated:
        return can(user, "participate", debate.component.space.organization)  # the way to log in
    if debate.official or debate.author_id != user.pk:
        return deny(_("Only the participant who opened this debate can edit it."))
    if debate.closed_at is not None:
        return deny(_("A closed debate can no longer be edited."))
    decision = can(user, "debates.view", debate)
    if not decision:
        return decision
    return can(user, "participate", debate.component.space.organization)


def _likes_open(user, debate):
    decision = can(user, "debates.view", debate)
    if not decision:
        return decision
    if debate.closed_at is not None:
        return deny(_("This debate is closed: it takes no more likes."))
    return component_action(user, debate.component, "like", phase_setting="likes_enabled")


@rule("debates.like")
def _like(user, debate):
    """Like a debate (once): who may take part in the space, eligibility rules
    of "like", while the phase opens likes and the debate is not closed."""
    return _likes_open(user, debate)


@rule("debates.unlike")
def _unlike(user, debate):
    """Take one's like back, under the same conditions."""
    return _likes_open(user, debate)


@rule("debates.manage")
def _manage(user, component):
    """Official debates, their information updates and conclusions."""
    return can(user, "component.manage", component)
