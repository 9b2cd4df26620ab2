"""The cards of the list page, rendered once and kept in Django's cache
(the database cache by default, Redis in production), so that a list page
costs one cache read instead of rendering twelve templates.

A card's key is a digest of everything its HTML shows (title, text, author,
date, state, category, scope, counters, moderation, language, time zone,
the template's source), so a changed idea, a renamed category or a new
translation simply reads another key: nothing is ever invalidated and
several app servers never disagree. Old keys expire. What depends on the
visitor (the support button, the CSRF token) is not in the cached HTML: it
takes the place of the VISITOR_PART comment when the page is served."""

import hashlib
from functools import cache as once
from typing import Any

from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

TEMPLATE = "proposals/_card_body.html"
# The templates the card is made of (their sources key the cards).
TEMPLATES = (TEMPLATE, "parts/card.html", "parts/badge.html", "proposals/_state.html", "core/_picture.html")
TIMEOUT = 7 * 24 * 3600
# Where the visitor's part goes in a cached card (an HTML comment: escaped text never makes one).
VISITOR_PART = "<!--VISITOR_PART-->"


@once
def _template_digest() -> str:
    """The card templates' sources: a new version of the code never reads an older card."""
    sources = []
    for name in TEMPLATES:
        template: Any = get_template(name)  # the Django backend's wrapper, which keeps the source
        sources.append(template.template.source)
    return hashlib.sha1("\n".join(sources).encode()).hexdigest()[:12]


def _key(proposal, organization_name: str, supports_mode: str) -> str:
    state = proposal.card_state  # the Terms of selectors.card_terms
    shown = (
        _template_digest(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        proposal.pk,
        proposal.get_absolute_url(),
        proposal.title,
        proposal.body,
        proposal.official,
        organization_name if proposal.official else proposal.byline,
        proposal.channel,
        proposal.published_at.isoformat() if proposal.published_at else None,
        proposal.status,
        (str(state), state.colour) if state is not None else None,
        str(proposal.card_category) if proposal.card_category else None,
        _category_picture(proposal.card_category),
        str(proposal.card_scope) if proposal.card_scope else None,
        proposal.is_hidden,
        proposal.supports_count if supports_mode != "hidden" else None,
        proposal.comments_shown,
        _picture(proposal),
    )
    return "proposals:card:" + hashlib.sha1(repr(shown).encode()).hexdigest()


def _category_picture(category):
    """What the card shows of its category's own image (its media when the idea has no picture)."""
    if category is None or not category.image:
        return None
    return (category.image, translation.get_language(), repr(category.image_variants), repr(category.image_alt))


def _picture(proposal):
    """The card's picture: the idea's first (selectors.with_pictures), never a hidden idea's."""
    pictures = getattr(proposal, "pictures", None)
    if not pictures or proposal.is_hidden:
        return None
    return pictures[0].picture(wanted=320)


def attach_card_html(proposals, *, organization, supports_mode: str, visitor=None) -> None:
    """Set `card_html` on each idea of a list page: one cache read for the
    page, the missing cards rendered and stored; `visitor(proposal)` gives
    the visitor's part of each card (escaped HTML: support_blocks.py)."""
    name = organization.name if organization is not None else ""
    keys = {proposal.pk: _key(proposal, name, supports_mode) for proposal in proposals}
    found = cache.get_many(keys.values())
    missing = {}
    for proposal in proposals:
        html = found.get(keys[proposal.pk])
        if html is None:
            html = render_to_string(
                TEMPLATE,
                {
                    "proposal": proposal,
                    "organization": organization,
                    "supports_mode": supports_mode,
                    "picture": _picture(proposal),
                },
            )
            missing[keys[proposal.pk]] = html
        html = html.replace(VISITOR_PART, str(visitor(proposal)) if visitor else "", 1)
        proposal.card_html = mark_safe(html)  # rendered by our template, user text escaped there
    if missing:
        cache.set_many(missing, TIMEOUT)
