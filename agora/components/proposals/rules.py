"""Permission rules of the proposals component (registered in apps.ready).

Rules read the counters without locking, to explain a refusal on the page;
the services check the same limits again under the ParticipantQuota row
lock, which is what makes them hold under parallel requests."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.components.proposals.models import Proposal, Support
from agora.moderation.selectors import is_hidden
from agora.permissions import ALLOWED, _memoised, can, component_action, deny, rule


def is_staff_of(user, component) -> bool:
    """Staff who may see everything of an idea (confidential answers included)."""
    return bool(can(user, "component.manage", component) or can(user, "evaluation.access", component.space))


def visitor_counts(user, component) -> dict:
    """What the pages say of the (logged-in) person here, in one query: the
    ideas they published ("ideas": the create permission and the "ideas left"
    line), the supports they gave ("supports"), their latest draft's id
    ("draft", None without one). A page reads it once
    (permissions.memoised_decisions); elsewhere each call asks again, and the
    services count under their lock."""

    def read():
        quote = connection.ops.quote_name
        ideas = (
            f"FROM {quote(Proposal._meta.db_table)} p WHERE p.component_id = %s AND p.author_id = %s "
            f"AND p.official = %s AND p.status = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT COUNT(*) {ideas}), (SELECT COUNT(*) FROM {quote(Support._meta.db_table)} s "
                f"WHERE s.component_id = %s AND s.user_id = %s), (SELECT MAX(p.id) {ideas})",
                [
                    component.pk,
                    user.pk,
                    False,
                    Proposal.Status.PUBLISHED,
                    component.pk,
                    user.pk,
                    component.pk,
                    user.pk,
                    False,
                    Proposal.Status.DRAFT,
                ],
            )
            ideas_count, supports, draft = cursor.fetchone()
        return {"ideas": ideas_count, "supports": supports, "draft": draft}

    return _memoised(("proposals_visitor", user.pk, component.pk), read)


def published_proposals_count(user, component, *, fresh=False) -> int:
    """How many ideas the person published here; `fresh` (writes, under
    their lock) always asks the database for this count alone."""
    if fresh:
        return Proposal.objects.filter(
            component=component, author=user, official=False, status=Proposal.Status.PUBLISHED
        ).count()
    return visitor_counts(user, component)["ideas"]


def supports_given(user, component) -> int:
    return visitor_counts(user, component)["supports"]


@rule("proposals.create")
def _create(user, component):
    decision = component_action(user, component, "create", phase_setting="creation_enabled")
    if not decision:
        return decision
    return _proposal_limit(user, component)


def _proposal_limit(user, component, *, count=None):
    limit = component.settings_of().proposal_limit
    if limit and (count if count is not None else published_proposals_count(user, component)) >= limit:
        return deny(
            ngettext("You have used your %(limit)s idea.", "You have used your %(limit)s ideas.", limit)
            % {"limit": limit}
        )
    return ALLOWED


@rule("proposals.publish")
def _publish(user, proposal):
    if not proposal.is_draft:
        return deny(_("This idea is already published."))
    if proposal.official:
        return _create_official(user, proposal.component)
    if proposal.author_id != getattr(user, "pk", None):
        return deny(_("Only the author can publish this idea."))
    return _create(user, proposal.component)


@rule("proposals.create_official")
def _create_official(user, component):
    if not component.settings_of().official_ideas_enabled:
        return deny(_("Official ideas are not enabled here."))
    if not can(user, "component.manage", component):
        return deny(_("Only the space's administrators can publish an official idea."))
    return ALLOWED


@rule("proposals.enter_on_behalf")
def _enter_on_behalf(user, component):
    """Staff type in the ideas residents gave on paper, at a desk or at a meeting
    (one by one or from a file)."""
    if not can(user, "component.manage", component):
        return deny(_("Only the space's administrators can enter ideas for residents."))
    return ALLOWED


def _staff_held(proposal) -> bool:
    """An official idea, or one staff entered for a resident without an account:
    the space's administrators edit and withdraw it."""
    return proposal.official or (proposal.author_id is None and bool(proposal.author_name))


@rule("proposals.edit")
def _edit(user, proposal):
    if _staff_held(proposal):
        if can(user, "component.manage", proposal.component) and proposal.status != proposal.Status.WITHDRAWN:
            return ALLOWED
        return deny(_("Only the space's administrators can edit this idea."))
    if not user.is_authenticated or proposal.author_id != user.pk:
        return deny(_("Only the author can edit this idea."))
    if proposal.is_draft:
        return component_action(user, proposal.component, "create")
    if proposal.is_withdrawn:
        return deny(_("A withdrawn idea cannot be edited."))
    minutes = proposal.component.settings_of().edit_window_minutes
    if not proposal.published_at or timezone.now() > proposal.published_at + timedelta(minutes=minutes):
        return deny(
            ngettext(
                "An idea can only be edited during the %(minutes)s minute after publishing.",
                "An idea can only be edited during the %(minutes)s minutes after publishing.",
                minutes,
            )
            % {"minutes": minutes}
        )
    if proposal.supports.exists():
        return deny(_("Someone supported this idea: it can no longer be edited."))
    return component_action(user, proposal.component, "create")


@rule("proposals.withdraw")
def _withdraw(user, proposal):
    if proposal.status != proposal.Status.PUBLISHED:
        return deny(_("Only a published idea can be withdrawn."))
    if _staff_held(proposal):
        return can(user, "component.manage", proposal.component)
    if not user.is_authenticated or proposal.author_id != user.pk:
        return deny(_("Only the author can withdraw this idea."))
    return ALLOWED


def _supports_open(user, proposal):
    mode = proposal.component.phase_settings_of().supports
    if mode == "hidden":
        return deny(_("Supports are not open during the current phase."))
    if mode == "blocked":
        return deny(_("Supports are frozen during the current phase."))
    if proposal.status != proposal.Status.PUBLISHED:
        return deny(_("This idea can no longer be supported."))
    return component_action(user, proposal.component, "support", resource=proposal)


@rule("proposals.support")
def _support(user, proposal):
    decision = _supports_open(user, proposal)
    if not decision:
        return decision
    return support_limits(user, proposal)


def support_limits(user, proposal, *, given=None, proposal_supports=None):
    component = proposal.component
    limit = component.settings_of().supports_limit
    given = supports_given(user, component) if given is None and limit else given
    if limit and given >= limit:
        return deny(
            ngettext("You have used your %(limit)s support.", "You have used your %(limit)s supports.", limit)
            % {"limit": limit}
        )
    threshold = component.settings_of().support_threshold
    if threshold and not component.settings_of().supports_beyond_threshold:
        count = proposal.supports_count if proposal_supports is None else proposal_supports
        if count >= threshold:
            return deny(_("This idea has reached its threshold of supports."))
    return ALLOWED


@rule("proposals.unsupport")
def _unsupport(user, proposal):
    return _supports_open(user, proposal)


@rule("proposals.view")
def _view(user, proposal):
    decision = can(user, "component.view", proposal.component)
    if not decision:
        return decision
    if proposal.is_draft and not (user.is_authenticated and proposal.author_id == user.pk):
        if not (proposal.official and can(user, "component.manage", proposal.component)):
            return deny(_("This idea is not published."))
    return ALLOWED


@rule("proposals.view_confidential")
def _view_confidential(user, proposal):
    if user.is_authenticated and proposal.author_id == user.pk:
        return ALLOWED
    return is_staff_of(user, proposal.component) or deny(_("Confidential."))


@rule("proposals.view_attachments")
def _view_attachments(user, proposal):
    """Attachments are private files (agora.core.files): served to whoever may
    see the idea; those of an idea hidden by moderation only to its author
    and the space's moderators."""
    decision = can(user, "proposals.view", proposal)
    if not decision:
        return decision

    if is_hidden(proposal) and not (user.is_authenticated and proposal.author_id == user.pk):
        if not can(user, "moderation.manage", proposal.component.space):
            return deny(_("This idea was hidden by the moderators."))
    return ALLOWED
