from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agora.accounts import selectors, services
from agora.accounts.forms import PROFILE_STATISTICS_NOTE, AccountSettingsForm, DeleteAccountForm
from agora.accounts.models import Membership
from agora.permissions import PermissionDenied, can

CONTRIBUTIONS_PER_PAGE = 20


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@require_http_methods(["GET", "POST"])
def terms(request):
    organization = request.organization
    next_url = _safe_next(request, reverse("home"))
    status = None
    join_decision = None
    if request.user.is_authenticated:
        status = selectors.terms_status(request.user, organization)
        join_decision = can(request.user, "organization.join", organization)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={reverse('accounts:terms')}")
        try:
            services.accept_terms(user=request.user, organization=organization)
        except PermissionDenied as refusal:
            messages.error(request, refusal.decision.reason)
        else:
            messages.success(request, _("Thank you: you accepted the terms of use."))
            return redirect(next_url)
    return render(
        request,
        "accounts/terms.html",
        {
            "terms": organization.current_terms(),
            "status": status,
            "join_decision": join_decision,
            "next_url": next_url,
        },
    )


def profile(request, nickname):
    person = selectors.public_person(nickname, request.organization)
    if person is None:
        raise Http404
    contributions = Paginator(
        selectors.public_contributions(person, request.organization), CONTRIBUTIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {
            "person": person,
            "member_since": selectors.membership_since(person, request.organization) or person.date_joined,
            "contributions": contributions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    user = request.user
    membership = Membership.objects.filter(user=user, organization=request.organization).first()
    form = AccountSettingsForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        organization=request.organization,
        newsletter_consent_at=membership.newsletter_consent_at if membership else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_profile(
                actor=user,
                user=user,
                organization=request.organization,
                name=data["name"],
                nickname=data["nickname"],
                about=data["about"],
                language=data["language"],
                profile={name: data.get(name) for name in form.profile_field_names},
                avatar=data.get("avatar") or None,
                remove_avatar=data.get("remove_avatar", False),
            )
            if membership is not None:
                services.set_newsletter_consent(
                    actor=user, user=user, organization=request.organization, consent=data["newsletter"]
                )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            response = redirect("accounts:settings")
            if data["language"]:
                # Show the site in the chosen language from now on.
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    data["language"],
                    max_age=365 * 24 * 3600,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
            with translation.override(data["language"] or translation.get_language()):
                messages.success(request, _("Your account settings were saved."))
            return response
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "statistics_note": PROFILE_STATISTICS_NOTE,
        },
    )


def _attach_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=user, organization=request.organization)
        logout(request)
        messages.success(request, _("Your account has been deleted and your personal data erased. Goodbye."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


def invitation(request, token):
    """The link of an invitation for someone who already has an account on
    the installation; newcomers are sent to the signup page."""
    found = selectors.pending_invitation(request.organization, token)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        return redirect(services.invitation_signup_path(found))
    if request.method == "POST":
        try:
            services.accept_invitation(user=request.user, invitation=found)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("home")
        messages.success(request, _("You joined %(organization)s.") % {"organization": request.organization.name})
        return redirect(f"{reverse('accounts:terms')}?next=/")
    return render(request, "accounts/invitation.html", {"invitation": found})
