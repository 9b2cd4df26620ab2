"""Sharing debates: the page's metadata and the embeddable card."""

from django.utils.translation import gettext as _

from agora.components.debates import selectors
from agora.components.registry import EmbedCard
from agora.core.translations import translated
from agora.web import sharing


def share(request, debate) -> dict:
    if debate.is_hidden:
        return {}
    return sharing.share_context(
        request,
        title=translated(debate.title),
        description=translated(debate.description),
        url=debate.get_absolute_url(),
        embed_url=f"{debate.get_absolute_url()}embed/",
    )


def embed_card(request, resource_id):
    if resource_id is None:
        return None
    debate = selectors.debate_for(request.component, request.user, resource_id)
    if debate is None or debate.is_hidden:
        return None
    facts = [(_("State"), _("Closed") if debate.closed_at else _("Open"))]
    return EmbedCard(
        title=translated(debate.title),
        url=debate.get_absolute_url(),
        meta=request.organization.name if debate.official else "",
        summary=sharing.plain_description(translated(debate.description), 600),
        facts=tuple(facts),
        more=_("Take part in this debate on the site of %(name)s") % {"name": request.organization.name},
    )
