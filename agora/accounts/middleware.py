from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse

from agora import permissions
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


# The staff screens: the back-office and the platform admins' Django admin.
STAFF_PREFIXES = ("/admin/", "/system/")


class StaffMFAMiddleware:
    """In an organization that requires two-factor authentication of its staff,
    a staff member without an authenticator app gets the refusal page (with the
    link to set one up) on every staff screen, whatever the view. People who are
    not staff meet the views' own refusals.

    This page only explains: the powers themselves are withheld everywhere by
    the permission layer (agora.permissions._roles gives no role to staff who
    still have to set up the second factor), public pages included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        organization = getattr(request, "organization", None)
        if (
            organization is not None
            and organization.staff_mfa_required
            and request.path.startswith(STAFF_PREFIXES)
            and request.user.is_authenticated
        ):
            staff = permissions.holds_staff_role(request.user, organization)
            decision = permissions.staff_mfa_decision(request.user, organization) if staff else permissions.ALLOWED
            if not decision:
                # (no "back to the administration" link: it would lead here again)
                return render(
                    request,
                    "backoffice/refused.html",
                    {"decision": decision, "bo_section": None, "can_use_backoffice": False},
                    status=403,
                )
        return self.get_response(request)
