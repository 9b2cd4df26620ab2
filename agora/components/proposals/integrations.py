"""How the conversation layer (comments, moderation) sees an idea, and the
new-idea notification. The manifest (component.py) names these adapters and
declares the events; the layers read them from there."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.services import Notice
from agora.comments import registry as comments_registry
from agora.moderation import registry as moderation_registry
from agora.permissions import can

NEW_IDEA = "proposals.new_idea"  # declared in the manifest


class ProposalComments(comments_registry.Commentable):
    def authors(self, proposal):
        return [proposal.author] if proposal.author_id and not proposal.official else []

    def is_visible(self, user, proposal):
        return bool(can(user, "proposals.view", proposal)) and not proposal.is_draft

    def closed_reason(self, proposal):
        return str(_("This idea is withdrawn: it cannot be commented any more.")) if proposal.is_withdrawn else ""


class ProposalReports(moderation_registry.ReportableAdapter):
    label = _("idea")

    def organization(self, proposal):
        return proposal.component.space.organization

    def space(self, proposal):
        return proposal.component.space

    def author(self, proposal):
        return proposal.author

    def excerpt(self, proposal):
        return f"{proposal.title}\n\n{proposal.body}"[:1000]

    def can_view(self, user, proposal):
        return bool(can(user, "proposals.view", proposal)) and not proposal.is_draft


def new_idea_notice(proposal) -> Notice:
    """Followers of the space (and of the author) hear of a published idea: a
    notice of the trace of its publication (or of its entry by staff)."""
    return Notice(
        NEW_IDEA,
        followers=True,
        actor=proposal.author if not proposal.official else None,
        url=proposal.get_absolute_url(),
    )
