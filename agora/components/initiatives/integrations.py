"""How the conversation layer (comments, moderation) sees an initiative. The
manifest (component.py) names these adapters; the layers read them there."""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.comments import registry as comments_registry
from agora.moderation import registry as moderation_registry
from agora.permissions import can


class InitiativeComments(comments_registry.Commentable):
    """Comments are taken on a published initiative while it collects and
    stay readable afterwards; a draft is discussed by its promoters elsewhere."""

    def authors(self, initiative):
        return [initiative.author] if initiative.author_id else []

    def is_visible(self, user, initiative):
        return bool(can(user, "initiatives.view", initiative)) and initiative.is_public

    def closed_reason(self, initiative) -> str:
        if initiative.state != initiative.State.COLLECTING:
            return _(
                "This initiative no longer collects signatures: comments stay readable, but no new one can be added."
            )
        return ""


class InitiativeReports(moderation_registry.ReportableAdapter):
    label = gettext_lazy("initiative")

    def organization(self, initiative):
        return initiative.component.space.organization

    def space(self, initiative):
        return initiative.component.space

    def author(self, initiative):
        return initiative.author

    def excerpt(self, initiative):
        return f"{initiative.title}\n\n{strip_tags(initiative.body)}"[:1000]

    def can_view(self, user, initiative):
        return bool(can(user, "initiatives.view", initiative))
