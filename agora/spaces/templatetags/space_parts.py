"""{% space_breadcrumbs %}: the breadcrumbs of a space's pages (the part
parts/breadcrumbs.html): the list of processes or assemblies, the process
group, the space, the component, and the page itself."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.core.translations import translated

register = template.Library()


@register.inclusion_tag("parts/breadcrumbs.html")
def space_breadcrumbs(space, component=None, current=""):
    """`current`: the page's own name (an idea, a post) when it is below the component."""
    if space.is_process:
        crumbs = [(_("Processes"), reverse("spaces:processes"))]
        if space.group_id:
            crumbs.append((translated(space.group.title), space.group.get_absolute_url()))
    else:
        crumbs = [(_("Assemblies"), reverse("spaces:assemblies"))]
    steps = [(translated(space.title), space.get_absolute_url())]
    if component:
        steps.append((str(component), component.get_absolute_url()))
    if current:
        steps.append((current, ""))
    crumbs += steps[:-1] + [(steps[-1][0], "")]
    return {"crumbs": crumbs}
