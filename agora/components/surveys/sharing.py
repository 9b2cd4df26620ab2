"""Sharing a survey: its embeddable card, at the component's root (the manifest's `embed` hook)."""

from django.utils.translation import gettext as _

from agora.components.registry import EmbedCard
from agora.components.surveys import selectors
from agora.core import formats
from agora.core.translations import translated
from agora.web import sharing


def embed_card(request, resource_id):
    """The survey of the request's component (public, which the view checked): its
    presentation and when it closes; never an answer. A survey is the component
    itself: /embed/ only."""
    if resource_id is not None:
        return None
    component = request.component
    survey = selectors.survey_of(component)
    if survey is None:
        return None
    window = survey.window_state()
    facts = []
    if window == "before" and survey.opens_at:
        facts.append((_("Opens on"), formats.long_datetime(survey.opens_at)))
    elif window == "open" and survey.closes_at:
        facts.append((_("Closes on"), formats.long_datetime(survey.closes_at)))
    elif window == "after":
        facts.append((_("State"), _("This survey is closed.")))
    return EmbedCard(
        title=str(component),
        url=component.get_absolute_url(),
        meta=request.organization.name,
        summary=sharing.plain_description(translated(survey.introduction), 600),
        facts=tuple(facts),
        more=_("Answer this survey on the site of %(name)s") % {"name": request.organization.name},
    )
