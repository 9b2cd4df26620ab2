from django import template

from agora.core.forms import contrast_ratio

register = template.Library()


@register.filter
def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the state's colour."""
    try:
        return "#000000" if contrast_ratio(background, "#000000") >= contrast_ratio(background, "#ffffff") else "#ffffff"
    except (ValueError, TypeError, IndexError):
        return "#000000"
