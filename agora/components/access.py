"""Decorators that load the space and the component of a component URL and
check the right to see or manage it. Component views receive
`request.space` and `request.component` and never look them up themselves."""

import copy
from functools import wraps

from django.http import Http404

from agora import permissions
from agora.components.models import Component
from agora.core import pagecache
from agora.spaces.models import Space
from agora.spaces.selectors import TABS_ORDER, keep_components, visible_components
from agora.web.access import backoffice_view, refuse_public

KIND_OF_PREFIX = {prefix: kind for kind, prefix in Space.URL_PREFIX.items()}


def component_view(view):
    """Public component page: /<processes|assemblies>/<slug>/f/<id>/..."""

    @wraps(view)
    def wrapper(request, *args, space_kind, space_slug, component_id, **kwargs):
        with pagecache.memo_scope(getattr(request, "settings_version", None)):
            component = _component_for(request.organization, KIND_OF_PREFIX[space_kind], space_slug, component_id)
            if component is None:
                raise Http404
            decision = permissions.can(request.user, "component.view", component)
            if not decision:
                if not component.space.is_published or not component.is_published:
                    raise Http404  # never reveal drafts
                # Known to the refusal: a form posted here by someone who logs in first
                # comes back to the page it was on, else to the component's page.
                request.space, request.component = component.space, component
                return refuse_public(request, decision)
            request.space, request.component = component.space, component
            if request.method in ("GET", "HEAD"):
                with permissions.memoised_decisions():
                    return view(request, *args, **kwargs)
            return view(request, *args, **kwargs)

    return wrapper


def _component_for(organization, kind, slug, component_id):
    """The component with its space and the space's phases (read several
    times per page), kept per process for the settings version; the page
    gets its own copies. The space's other components come with it (one
    query for all of them, the phases in a second): they are the page's
    component tabs, kept for `visible_components` with no query of their own."""

    def load():
        siblings = list(
            Component.objects.select_related("space", "space__group")
            .prefetch_related("space__phases")
            .filter(space__organization=organization, space__kind=kind, space__slug=slug)
            .order_by(*TABS_ORDER)
        )
        if siblings:
            keep_components(siblings[0].space, siblings)
        return next((each for each in siblings if each.pk == int(component_id)), None)

    shared = pagecache.memo(("component", organization.pk, kind, slug, component_id), load)
    if shared is None:
        return None
    component, space = copy.copy(shared), copy.copy(shared.space)
    space.__dict__["_prefetched_objects_cache"] = dict(shared.space.__dict__.get("_prefetched_objects_cache", {}))
    space.organization = organization  # the request's: no join
    component.space = space
    return component


def load_component_target(request, kwargs):
    """The "component" target of back-office screens
    (/admin/spaces/<space id>/components/<id>/...): the component of that
    space of the request's organization, or 404."""
    space_id, component_id = kwargs.pop("space_id"), kwargs.pop("component_id")
    component = (
        Component.objects.select_related("space", "space__organization")
        .filter(pk=component_id, space_id=space_id, space__organization=request.organization)
        .first()
    )
    if component is None:
        raise Http404
    request.space, request.component = component.space, component
    return component


# Back-office screen of a component, for the space's administrators (the "component"
# target is registered at start-up, in apps.py).
component_admin_view = backoffice_view("component.manage", target="component")


def component_context(request, **extra) -> dict:
    """Context every component page needs for the space header and tabs."""
    return {
        "space": request.space,
        "component": request.component,
        "components": visible_components(request.space, request.user),
        **extra,
    }
