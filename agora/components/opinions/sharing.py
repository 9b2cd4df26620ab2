"""Sharing an opinion map: its embeddable card, at the component's root (the manifest's `embed` hook)."""

from django.utils.translation import gettext as _

from agora.components.opinions import selectors
from agora.components.registry import EmbedCard
from agora.core import formats
from agora.core.translations import translated
from agora.web import sharing


def embed_card(request, resource_id):
    """The question of the request's component (public, which the view checked) and
    how many statements are published; no statement's text. An opinion map is the
    component itself: /embed/ only."""
    if resource_id is not None:
        return None
    component = request.component
    conversation = selectors.conversation_for(component, with_result=False)
    if conversation is None:
        return None
    facts = [(_("Published statements"), formats.number(selectors.published(conversation).count()))]
    return EmbedCard(
        title=translated(conversation.question) or str(component),
        url=component.get_absolute_url(),
        meta=request.organization.name,
        summary=sharing.plain_description(translated(conversation.description), 600),
        facts=tuple(facts),
        more=_("Give your opinion on the site of %(name)s") % {"name": request.organization.name},
    )
