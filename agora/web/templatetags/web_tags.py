"""Template tags of the shared web kit."""

from django import template

from agora.web.views import querystring_without_page

register = template.Library()


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    """The page's own query string without "page" (its filters and search),
    for the links to the other pages of a list."""
    request = context.get("request")
    return querystring_without_page(request) if request is not None else ""
