"""Sharing the follow-up: the embeddable card of a result (the manifest's `embed` hook)."""

from django.utils.translation import gettext as _

from agora.components.accountability import selectors
from agora.components.registry import EmbedCard
from agora.core import formats
from agora.core.translations import translated
from agora.web import sharing


def embed_card(request, resource_id):
    """A result of the request's component (public, which the view checked: the
    follow-up has no draft nor hidden result), asked as an anonymous visitor."""
    if resource_id is None:
        return None
    result = selectors.result_for(request.component, resource_id)
    if result is None:
        return None
    facts = []
    if result.status_id:
        facts.append((_("Status"), translated(result.status.name)))
    facts.append((_("Progress"), formats.percent(result.progress)))
    if result.end_date:
        facts.append((_("End date"), formats.long_date(result.end_date)))
    return EmbedCard(
        title=translated(result.title),
        url=result.get_absolute_url(),
        meta=request.organization.name,
        summary=sharing.plain_description(translated(result.description), 600),
        facts=tuple(facts),
        more=_("Follow this result on the site of %(name)s") % {"name": request.organization.name},
    )
