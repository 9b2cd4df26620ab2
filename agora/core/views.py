import logging
import re
import sys
from decimal import Decimal

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.core import fonts, geocoding, home_page, pagecache
from agora.core.files import file_response, public_storage
from agora.core.models import AccessibilityStatement
from agora.core.requests import current_request_id
from agora.core.search import search as search_content
from agora.core.theming import THEME_COOKIE, THEMES


def home(request):
    """The organization's home page: its blocks (agora.core.home), the same
    for every anonymous visitor, so from the page cache for them (a change of
    blocks, as any write to a table pages show, moves the content version)."""

    def render_page():
        # The blocks are kept per settings version (agora.core.pagecache.memo).
        with pagecache.memo_scope(getattr(request, "settings_version", None)):
            return render_home(request, home_page.shown_blocks(request.organization))

    return pagecache.page(request, "", render_page)


def render_home(request, blocks, status=200):
    """The home page drawn from `blocks` (also the back-office's previews)."""
    html, lead_given = home_page.render(request, blocks)
    return render(request, "core/home.html", {"blocks": html, "lead_given": lead_given}, status=status)


@require_POST
def set_theme(request):
    """The "High contrast" button of the header: a form, so it works without
    JavaScript; the choice is kept a year in a cookie (agora.core.theming),
    "light" or "contrast" (anything else forgets the choice: the system's
    preference applies again). Back to the page the visitor was on."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    theme = request.POST.get("theme", "")
    if theme in THEMES:
        response.set_cookie(
            THEME_COOKIE, theme, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure(), httponly=True
        )
    else:
        response.delete_cookie(THEME_COOKIE, samesite="Lax")
    return response


def theme_css(request):
    """The themed stylesheet: the @font-face of the organization's own font and
    the token that uses it (agora.core.fonts), linked after agora.css by
    pages of an organization that has a font. Its address carries the
    version of its text: kept a year by browsers when it matches, never
    when it does not (an older page asking after a change)."""
    organization = getattr(request, "organization", None)
    response = HttpResponse(
        fonts.font_css(organization) if organization else "", content_type="text/css; charset=utf-8"
    )
    if organization is not None and request.GET.get("v") == fonts.version(organization):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response


def accessibility(request):
    """The organization's accessibility statement (RGAA model), filled in its back-office."""
    statement = AccessibilityStatement.objects.filter(organization=request.organization).first()
    return render(request, "core/accessibility.html", {"statement": statement})


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = search_content(request.organization, query) if query else []
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "core/search.html",
        {"query": query, "page": page, "count": len(results), "query_string": urlencode({"q": query})},
    )


def media(request, path):
    """Public uploads when Agora serves them itself (demo, AGORA_SERVE_MEDIA):
    the type Agora found when storing the file, nosniff, and a download for
    anything but an image. Production serves the same way from the web
    server or a media domain (docs/deployment.md)."""
    if not settings.AGORA_SERVE_MEDIA:
        raise Http404
    return file_response(public_storage(), path)


# --- error pages ---------------------------------------------------------------------
# Rendered without the database (it may be the reason of the error): no
# RequestContext (its context processors read the session and the
# organization), a standalone template on static files only.

_UNAVAILABLE = (OperationalError, InterfaceError)
logger = logging.getLogger(__name__)


def server_error(request):
    """handler500: every uncaught exception ends here (views and middlewares
    alike, as Django converts each middleware's exceptions to this page). A
    database that cannot be reached gives the 503 page "try again in a
    moment", anything else the 500 page; both show the request id."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, _UNAVAILABLE)
    status = 503 if unavailable else 500
    request_id = getattr(request, "request_id", "") or current_request_id()
    try:
        with translation.override(_error_language(request)):
            html = loader.render_to_string(
                f"core/errors/{status}.html", {"request_id": request_id, "LANGUAGE_CODE": translation.get_language()}
            )
    except Exception:  # noqa: BLE001 - the error page must never fail in turn
        logger.exception("The %s page could not be rendered", status)
        html = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{status}</title></head><body>"
            f"<h1>{status}</h1><p>{request_id}</p></body></html>"
        )
    response = HttpResponse(html, status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response


def _error_language(request) -> str:
    language = getattr(request, "LANGUAGE_CODE", None)  # the organization's choice, when it was read
    if language:
        return language
    return translation.get_language_from_request(request)  # cookie or browser: no database


def geocode(request):
    """Places for an address someone types (`?q=`), or the address of a map
    position (`?lat=&lng=`), as JSON for the address fields' "find on the map"
    button (agora/core/static/agora/geocode.js). For people logged in, a few
    look-ups a minute per connection (ACCOUNT_RATE_LIMITS["geocode"]): each may
    call an outside geocoder. The forms geocode again on the server, so a page
    without JavaScript loses nothing."""
    if not request.user.is_authenticated:
        return JsonResponse({"results": [], "message": _("Log in to look up addresses.")}, status=403)
    # allauth's public consume() never counts GET requests (its limits guard
    # forms); the look-ups are GETs, hence the internal call with limit_get.
    if not ratelimit.consume(request, app="allauth.account", action="geocode", limit_get=True):
        return JsonResponse(
            {"results": [], "message": _("Too many look-ups: wait a minute and try again.")}, status=429
        )
    organization = getattr(request, "organization", None)
    try:
        if "q" in request.GET:
            query = request.GET["q"].strip()[: geocoding.MAX_QUERY]
            results = geocoding.geocode(query, organization) if query else []
            message = (
                ""
                if results or not query
                else _("“%(address)s” was not found on the map. Check the spelling, or place the pin yourself.")
                % {"address": query}
            )
        else:
            latitude = _coordinate(request.GET.get("lat", ""), 90)
            longitude = _coordinate(request.GET.get("lng", ""), 180)
            if latitude is None or longitude is None:
                return JsonResponse({"results": [], "message": _("Give an address or a position.")}, status=400)
            place = geocoding.reverse(latitude, longitude, organization)
            results, message = ([place] if place else []), ""
    except geocoding.GeocoderUnavailable:
        return JsonResponse(
            {
                "results": [],
                "message": _(
                    "The address could not be looked up on the map right now; place the pin yourself or try again "
                    "later."
                ),
            },
            status=503,
        )
    response = JsonResponse({"results": [each.as_json() for each in results], "message": message})
    response["Cache-Control"] = "private, no-store"
    return response


def _coordinate(text: str, bound: int):
    """A latitude or longitude as typed (ASCII digits, a point), within ±bound; else None."""
    if not re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{1,12})?", text or ""):
        return None
    value = Decimal(text)
    return value if -bound <= value <= bound else None
