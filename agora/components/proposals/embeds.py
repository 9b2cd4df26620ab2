"""The embeddable card of an idea (the manifest's `embed` hook)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.components.proposals import selectors
from agora.components.registry import EmbedCard
from agora.core import formats


def embed_card(request, resource_id):
    """A published, visible idea of the request's component (asked as an anonymous visitor)."""
    if resource_id is None:
        return None
    component = request.component
    proposal = selectors.proposal_for(component, request.user, resource_id)
    if proposal is None or proposal.is_draft:
        return None
    selectors.annotate_cards([proposal])
    if proposal.is_hidden:
        return None
    facts: list[tuple] = []
    if proposal.is_withdrawn:
        facts.append((_("State"), _("The author withdrew this idea.")))
    elif proposal.published_state:
        facts.append((_("State"), str(proposal.published_state)))
    facts.extend((str(field), value) for field, value in selectors.public_custom_values(proposal))
    if selectors.supports_mode(component) != "hidden":
        count = proposal.supports_count
        text = ngettext("%(supports)s support", "%(supports)s supports", count) % {"supports": formats.number(count)}
        threshold = component.settings_of().support_threshold
        facts.append((_("Supports"), f"{text} / {formats.number(threshold)}" if threshold else text))
    author = request.organization.name if proposal.official else proposal.byline
    return EmbedCard(
        title=proposal.title,
        url=proposal.get_absolute_url(),
        meta=f"{author} · {formats.long_date(proposal.published_at)}" if proposal.published_at else author,
        summary=proposal.body,
        facts=tuple(facts),
        more=_("See this idea on the site of %(name)s") % {"name": request.organization.name},
    )
