"""Template helpers of the back-office of ideas."""

import re

from django import template

from agora.components.proposals.evaluation.selectors import badge_text_colour

register = template.Library()

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@register.filter
def badge_style(state) -> str:
    """Inline style of a state's badge: its colour (checked) behind black or
    white text, whichever has the better contrast (always at least 4.5:1)."""
    colour = state.colour if state is not None and COLOUR.match(state.colour or "") else "#4a4a4a"
    return f"background-color: {colour}; color: {badge_text_colour(colour)};"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
