"""{% space_figures space %}: the space's participation figures on its public
page, when its organization chose to show them (agora.statistics)."""

from django import template

from agora.statistics import selectors

register = template.Library()


@register.inclusion_tag("statistics/space_figures.html")
def space_figures(space):
    if not selectors.public_figures_enabled(space.organization):
        return {"figures": []}
    return {"figures": selectors.public_figures(space.organization, space)}
