from django.shortcuts import redirect
from django.urls import reverse

from agora.accounts.selectors import terms_status

# Paths a person may reach before accepting new terms.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/terms/", "/system/")


class TermsAcceptanceMiddleware:
    """A logged-in person whose accepted terms are older than the current
    version is asked to read and accept them before going on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.method == "GET"
            and not request.path.startswith(ALLOWED_PREFIXES)
            and terms_status(user, request.organization).needs_acceptance
        ):
            return redirect(f"{reverse('accounts:terms')}?next={request.get_full_path()}")
        return self.get_response(request)
