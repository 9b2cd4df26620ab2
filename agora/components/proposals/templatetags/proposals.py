from django import template
from django.urls import reverse

from agora.components.proposals.models import index_url
from agora.core.forms import text_on

register = template.Library()


@register.filter
def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the state's colour."""
    return text_on(background, unreadable="#000000")


@register.filter
def colour_badge_text(background: str) -> str:
    """The class of a colour badge's text: black or white, whichever reads better."""
    return "colour-badge-dark-text" if text_colour(background) == "#000000" else "colour-badge-light-text"


# Pages of one idea at "<list URL><id>/<name>/" (urls.py).
IDEA_ACTIONS = frozenset({"embed", "edit", "preview", "publish", "withdraw", "support", "unsupport"})


@register.simple_tag
def purl(component, name, proposal_id=None):
    """{% purl component "support" proposal.pk %}: a public URL of the component."""
    if name == "index":
        return index_url(component)
    if proposal_id is not None and name in IDEA_ACTIONS:
        return f"{index_url(component)}{int(proposal_id)}/{name}/"
    kwargs = component.url_kwargs()
    if proposal_id is not None:
        kwargs["proposal_id"] = proposal_id
    return reverse(f"proposals:{name}", kwargs=kwargs)
