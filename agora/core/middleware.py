from django.conf import settings
from django.http import HttpRequest, HttpResponseNotFound
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

from agora.core import pagecache
from agora.core.models import Organization
from agora.core.selectors import organization_for_host


class AgoraRequest(HttpRequest):
    """For type hints: a request as OrganizationMiddleware leaves it (a view only
    runs when the organization was found)."""

    organization: Organization
    content_version: int
    settings_version: int


class OrganizationMiddleware:
    """Finds the organization (tenant) from the host name of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The versions first, then the organization as it is at that settings
        # version or later: the page cache keys by the content version and the
        # memo by the settings version (agora.core.pagecache), which move
        # together with every change of an organization, so nothing older is
        # ever stored under them.
        request.content_version, request.settings_version = pagecache.current_versions()
        request.organization = organization_for_host(request.get_host(), request.settings_version)
        if request.organization is None:
            translation.activate(settings.LANGUAGE_CODE)
            html = render_to_string("core/no_organization.html", {"host": request.get_host()})
            return HttpResponseNotFound(html)
        return self.get_response(request)


class LanguageMiddleware:
    """French (or the organization's default) unless the visitor chose another
    of the organization's languages with the language switcher."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        organization = request.organization
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in organization.languages else organization.default_language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
