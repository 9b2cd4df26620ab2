"""Template helpers of the back-office of ideas."""

import re

from django import template

from agora.components.proposals.evaluation.selectors import badge_text_colour

register = template.Library()

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@register.filter
def badge_colour(state) -> str:
    """A state badge's background: its colour (checked), drawn as an SVG fill
    (the CSP forbids inline styles)."""
    return state.colour if state is not None and COLOUR.match(state.colour or "") else "#4a4a4a"


@register.filter
def badge_text_class(state) -> str:
    """Black or white text on the badge, whichever has the better contrast (always at least 4.5:1)."""
    return (
        "colour-badge-dark-text" if badge_text_colour(badge_colour(state)) == "#000000" else "colour-badge-light-text"
    )
