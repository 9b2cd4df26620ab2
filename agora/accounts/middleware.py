from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from agora.accounts.selectors import terms_status

# Paths a person may reach before accepting new terms.
ALLOWED_PREFIXES = ("/accounts/", "/account/", "/invitations/", "/static/", "/media/", "/i18n/", "/terms/", "/system/")


class TermsAcceptanceMiddleware:
    """A logged-in person whose accepted terms are older than the current
    version (or who never accepted this organization's terms) is asked to
    read and accept them before going on. Only GETs are redirected; the
    "participate" permission refuses the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.method == "GET"
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not getattr(request, "htmx", False)
            and terms_status(user, request.organization).needs_acceptance
        ):
            return redirect(f"{reverse('accounts:terms')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
