"""The embeddable card of a public resource, for other sites' iframes: each
component declares how to make it (the manifest's `embed` hook,
`registry.EmbedCard`); this view frames it, the same for every component."""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from agora.components.access import component_view
from agora.components.registry import registry
from agora.core.pagecache import cached_public_page


def framed_by_other_sites(view):
    """The only pages other sites may frame: their Content-Security-Policy lets the
    sites of settings.EMBED_FRAME_ANCESTORS frame them (every site by default);
    every other page keeps `frame-ancestors 'none'` and X-Frame-Options: DENY."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        allow = csp_replace({"frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)})
        return allow(view)(request, *args, **kwargs)

    return xframe_options_exempt(wrapper)


@framed_by_other_sites
@component_view
@cached_public_page
def embed(request, resource_id=None):
    """The card of a resource, or 404 when the component is not public or the
    hook finds no public resource: only what an anonymous visitor may read,
    whoever is logged in (the hook is asked as an anonymous visitor)."""
    component = request.component
    hook = registry[component.manifest_name].hook(registry[component.manifest_name].embed)
    if hook is None or not component.is_public:
        raise Http404
    request.user = AnonymousUser()
    card = hook(request, resource_id)
    if card is None:
        raise Http404
    return render(
        request,
        "components/embed.html",
        {"card": card, "component": component, "space": request.space, "url": request.build_absolute_uri(card.url)},
    )
