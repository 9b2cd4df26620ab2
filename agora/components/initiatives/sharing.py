"""Sharing initiatives: the embeddable card (the manifest's `embed` hook)."""

from django.utils.translation import gettext as _

from agora.components.initiatives import selectors
from agora.components.registry import EmbedCard
from agora.core import formats
from agora.core.translations import translated
from agora.web import sharing


def embed_card(request, resource_id):
    """A public initiative of the request's component (collecting, closed, answered,
    lapsed or refused; never a draft, one being checked, nor one moderation hid),
    asked as an anonymous visitor."""
    if resource_id is None:
        return None
    initiative = selectors.public_initiative(request.component, resource_id)
    if initiative is None:
        return None
    facts = [
        (_("State"), initiative.get_state_display()),
        (_("Signatures"), formats.number(initiative.signature_count)),
    ]
    if initiative.scope_id:
        facts.append((_("District"), translated(initiative.scope.name)))
    return EmbedCard(
        title=initiative.title,
        url=initiative.get_absolute_url(),
        meta=translated(initiative.type.title),
        summary=sharing.plain_description(initiative.body, 600),
        facts=tuple(facts),
        more=_("See this initiative on the site of %(name)s") % {"name": request.organization.name},
    )
