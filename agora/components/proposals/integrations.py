"""Glue with the conversation layer (follows, notifications, comments,
moderation), registered once in apps.ready. Each part is optional: the
proposals app keeps working while a layer is not there yet."""

from django.utils.translation import gettext_lazy as _

NEW_IDEA = "proposals.new_idea"


def register() -> None:
    from agora.components.proposals.models import Proposal

    try:
        from agora.follows import registry as follows_registry

        follows_registry.register(Proposal)
    except ImportError:  # pragma: no cover
        pass
    for step in (_register_comments, _register_moderation):
        try:
            step(Proposal)
        except ImportError:  # pragma: no cover - layer not installed
            pass
    try:
        from agora.notifications import events

        if events.get(NEW_IDEA) is None:
            events.register(NEW_IDEA, label=_("New idea in a space I follow"),
                            message=_("%(actor)s proposed “%(target)s”"))
    except ImportError:  # pragma: no cover
        pass


def _register_comments(Proposal) -> None:
    from agora.comments.registry import Commentable, adapter_for, register as register_commentable
    from agora.permissions import can

    class ProposalComments(Commentable):
        def authors(self, proposal):
            return [proposal.author] if proposal.author_id and not proposal.official else []

        def is_visible(self, user, proposal):
            return bool(can(user, "proposals.view", proposal)) and not proposal.is_draft

        def closed_reason(self, proposal):
            from django.utils.translation import gettext as _

            return _("This idea is withdrawn: it cannot be commented any more.") if proposal.is_withdrawn else ""

    if adapter_for(Proposal) is None:
        register_commentable(Proposal, ProposalComments())


def _register_moderation(Proposal) -> None:
    from agora.moderation.registry import ReportableAdapter, adapter_for, register as register_reportable
    from agora.permissions import can

    class ProposalReports(ReportableAdapter):
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

    if adapter_for(Proposal) is None:
        register_reportable(Proposal, ProposalReports())


def notify_new_idea(proposal) -> None:
    """Followers of the space (and of the author) hear of a published idea."""
    try:
        from agora.notifications import services as notifications
    except ImportError:  # pragma: no cover
        return
    component = proposal.component
    notifications.publish(
        event=NEW_IDEA, actor=proposal.author if not proposal.official else None, target=proposal,
        organization=component.space.organization, space=component.space, url=proposal.get_absolute_url(),
    )
