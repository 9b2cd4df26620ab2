"""Permission rules of comments (registered when the app loads).

Commenting goes through permissions.component_action(user, component,
"comment"), so eligibility rules added to component actions apply here."""

from django.utils.translation import gettext as _

from agora.comments.registry import adapter_for
from agora.permissions import (
    ALLOWED,
    can,
    component_action,
    deny,
    is_organization_admin,
    rule,
    space_roles,
)


def _view(user, target):
    adapter = adapter_for(target)
    if adapter is None:
        return deny(_("Comments are not available here."))
    component = adapter.component(target)
    decision = can(user, "component.view", component)
    if not decision:
        return decision
    if not adapter.is_visible(user, target):
        return deny(_("This page does not exist."))
    return ALLOWED


@rule("comments.view")
def _comments_view(user, target):
    return _view(user, target)


def _open(target):
    adapter = adapter_for(target)
    if not adapter.enabled(target):
        return deny(_("Comments are turned off here."))
    if adapter.blocked(target):
        return deny(_("Comments are closed during the current phase."))
    reason = adapter.closed_reason(target)
    if reason:
        return deny(reason)
    return ALLOWED


@rule("comments.create")
def _comments_create(user, target):
    for decision in (_view(user, target), _open(target)):
        if not decision:
            return decision
    return component_action(user, adapter_for(target).component(target), "comment")


def _own_comment(user, comment):
    if not user.is_authenticated:
        return deny(_("Log in to continue."))
    if comment.author_id != user.pk:
        return deny(_("This is not your comment."))
    if comment.is_deleted:
        return deny(_("This comment was deleted."))
    return ALLOWED


@rule("comments.edit")
def _comments_edit(user, comment):
    decision = _own_comment(user, comment)
    if not decision:
        return decision
    return _comments_create(user, comment.target)


@rule("comments.delete")
def _comments_delete(user, comment):
    decision = _own_comment(user, comment)
    if not decision:
        return decision
    target = comment.target
    decision = _view(user, target)
    if not decision:
        return decision
    return can(user, "participate", comment.organization)


@rule("comments.vote")
def _comments_vote(user, comment):
    if comment.is_deleted:
        return deny(_("This comment was deleted."))
    decision = _comments_create(user, comment.target)
    if not decision:
        return decision
    if comment.author_id == user.pk:
        return deny(_("You cannot vote on your own comment."))
    return ALLOWED


@rule("comments.official")
def _comments_official(user, target):
    """An official answer: by the organization's or the space's staff."""
    adapter = adapter_for(target)
    if adapter is None or not user.is_authenticated:
        return deny(_("Only the staff can answer officially."))
    space = adapter.component(target).space
    if is_organization_admin(user, space.organization) or (
        space_roles(user, space) & {"space_admin", "collaborator", "moderator"}
    ):
        return ALLOWED
    return deny(_("Only the staff can answer officially."))
