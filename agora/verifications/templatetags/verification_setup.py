"""{% verification_setup component %} / {% verification_setup space %}: who
may take part, read-only, on the staff's screens of a space or a component
(the budget officer sees it without the Verifications menu, which is for
organization admins), with links to change it for those who may."""

from django import template

from agora import permissions
from agora.components.models import Component
from agora.verifications import methods as method_registry
from agora.verifications.selectors import census_status, component_setup, enabled_methods

register = template.Library()


@register.inclusion_tag("verifications/_setup.html", takes_context=True)
def verification_setup(context, target):
    request = context["request"]
    if isinstance(target, Component):
        space, components = target.space, [target]
    else:
        space, components = target, list(target.components.order_by("weight", "id"))
    organization = space.organization
    enabled = enabled_methods(organization)
    rows = []
    for component in components:
        if component.manifest is None or not component.manifest.actions:
            continue
        component.space = space
        may_edit = bool(permissions.can(request.user, "verifications.eligibility", component))
        rows.append((component, component_setup(component, enabled), may_edit))
    return {
        "rows": rows,
        "single": isinstance(target, Component),
        "space": space,
        "methods": [method_registry.get(name).label for name in enabled],
        "census": census_status(organization) if "census" in enabled else None,
        "may_manage_methods": bool(permissions.can(request.user, "verifications.manage", organization)),
    }
