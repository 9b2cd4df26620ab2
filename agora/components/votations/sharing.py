"""Sharing citizen votes: the page's metadata and the embeddable card of a vote."""

from django.urls import reverse
from django.utils.translation import gettext as _

from agora.components.registry import EmbedCard
from agora.components.votations import selectors
from agora.components.votations.models import Votation
from agora.core import formats
from agora.core.translations import translated
from agora.web import sharing


def share(request, votation: Votation) -> dict:
    """The share links and metadata of a vote any visitor sees (never one in preparation)."""
    if votation.state == Votation.State.DRAFT:
        return {}
    component = votation.component
    return sharing.share_context(
        request,
        title=translated(votation.title),
        description=translated(votation.description),
        url=votation.get_absolute_url(),
        embed_url=reverse("votations:embed", kwargs={**component.url_kwargs(), "resource_id": votation.pk}),
    )


def embed_card(request, resource_id):
    """A vote of the request's component that any visitor sees (open or closed,
    never one in preparation), asked as an anonymous visitor; its dates and state,
    never a result before the page shows it."""
    if resource_id is None:
        return None
    votation = selectors.votation_for(request.component, request.user, resource_id)
    if votation is None or votation.state == Votation.State.DRAFT:
        return None
    facts = [(_("State"), votation.get_state_display())]
    if votation.opens_at:
        facts.append((_("Voting opens"), formats.long_datetime(votation.opens_at)))
    if votation.closes_at:
        facts.append((_("Voting closes"), formats.long_datetime(votation.closes_at)))
    return EmbedCard(
        title=translated(votation.title),
        url=votation.get_absolute_url(),
        meta=request.organization.name,
        summary=sharing.plain_description(translated(votation.description), 600),
        facts=tuple(facts),
        more=_("See this vote on the site of %(name)s") % {"name": request.organization.name},
    )
