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
    try:
        from agora.notifications import events

        if events.get(NEW_IDEA) is None:
            events.register(NEW_IDEA, label=_("New idea in a space I follow"),
                            message=_("%(actor)s proposed “%(target)s”"))
    except ImportError:  # pragma: no cover
        pass


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
