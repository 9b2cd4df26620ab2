"""Participant pages: the list of methods and one page per method."""

import logging
from functools import wraps
from urllib.parse import urlencode

import requests
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.views import login
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from agora import permissions
from agora.core.outgoing import OutgoingRequestError
from agora.verifications import methods as method_registry
from agora.verifications import selectors, services
from agora.verifications.forms import CensusForm, CodeForm, DocumentForm, LetterRequestForm, PhoneForm

logger = logging.getLogger(__name__)


def participant_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        decision = permissions.can(request.user, "verifications.verify", request.organization)
        if not decision:
            return render(request, "verifications/refused.html", {"decision": decision}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def method_page(name):
    """The page of a method the organization does not offer is not found."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if name not in selectors.enabled_methods(request.organization):
                return render(
                    request, "verifications/not_offered.html", {"method": method_registry.get(name)}, status=404
                )
            return view(request, *args, **kwargs)

        return participant_view(wrapper)

    return decorator


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("verifications:index")


def _done(request, verification):
    if verification.status == verification.Status.CONFLICT:
        messages.warning(
            request,
            _(
                "These details are already used to verify another account. An officer will "
                "look into it; you will keep only one account."
            ),
        )
        return redirect("verifications:index")
    messages.success(request, _("Your account is verified."))
    return redirect(_next(request))


def _context(request, **extra):
    return {"next": request.POST.get("next") or request.GET.get("next") or "", **extra}


@participant_view
def index(request):
    organization = request.organization
    enabled = selectors.enabled_methods(organization)
    mine = {}
    for verification in selectors.user_verifications(request.user, organization).filter(
        status__in=("pending", "active", "conflict")
    ):
        mine.setdefault(verification.method, verification)
    rows = [
        (method, mine.get(method.name))
        for method in method_registry.all_methods()
        if method.name in enabled or method.name in mine
    ]
    return render(
        request,
        "verifications/index.html",
        _context(request, rows=rows, attributes=selectors.verified_attributes(request.user, organization)),
    )


@method_page("census")
def census(request):
    form = CensusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = services.verify_by_census(
                user=request.user, organization=request.organization, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, verification)
    return render(request, "verifications/census.html", _context(request, form=form))


def _code_page(
    request,
    *,
    method,
    first_form,
    first_button,
    first_error_field,
    ask,
    sent_message,
    confirm,
    template,
    first_form_name,
):
    """The two steps shared by the letter and SMS methods: ask for a code
    (letter mailed, SMS sent), then confirm the code received."""
    organization = request.organization
    pending = selectors.live_verification(request.user, organization, method)
    if pending is not None and pending.status != pending.Status.PENDING:
        pending = None
    code_form = CodeForm(request.POST if "confirm" in request.POST else None, prefix="code")
    if request.method == "POST" and first_button in request.POST and first_form.is_valid():
        try:
            ask(user=request.user, organization=organization, **first_form.cleaned_data)
        except ValidationError as error:
            first_form.add_error(first_error_field, error)
        else:
            messages.success(request, sent_message)
            return redirect(f"{reverse('verifications:' + method)}?{urlencode({'next': _next(request)})}")
    if request.method == "POST" and "confirm" in request.POST and code_form.is_valid():
        try:
            verification = confirm(user=request.user, organization=organization, code=code_form.cleaned_data["code"])
        except ValidationError as error:
            code_form.add_error("code", error)
        else:
            return _done(request, verification)
    return render(
        request, template, _context(request, pending=pending, code_form=code_form, **{first_form_name: first_form})
    )


@method_page("letter")
def letter(request):
    request_form = LetterRequestForm(
        request.POST if "request" in request.POST else None, organization=request.organization, prefix="letter"
    )
    return _code_page(
        request,
        method="letter",
        first_form=request_form,
        first_button="request",
        first_error_field=None,
        ask=services.request_letter,
        confirm=services.confirm_letter,
        template="verifications/letter.html",
        sent_message=_("Your letter will be mailed to you. Enter its code here when you get it."),
        first_form_name="request_form",
    )


@method_page("sms")
def sms(request):
    phone_form = PhoneForm(request.POST if "send" in request.POST else None, prefix="sms")
    return _code_page(
        request,
        method="sms",
        first_form=phone_form,
        first_button="send",
        first_error_field="phone",
        ask=services.send_sms_code,
        confirm=services.confirm_sms_code,
        template="verifications/sms.html",
        sent_message=_("A code was sent by SMS. It is valid for 15 minutes."),
        first_form_name="phone_form",
    )


@method_page("document")
def document(request):
    organization = request.organization
    pending = selectors.live_verification(request.user, organization, "document")
    form = DocumentForm(request.POST or None, request.FILES or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_document(user=request.user, organization=organization, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("document", error)
        else:
            messages.success(request, _("Your document was sent. An officer will check it and then delete it."))
            return redirect("verifications:index")
    return render(request, "verifications/document.html", _context(request, pending=pending, form=form))


# The form posts to allauth, which redirects to the provider's authorization
# endpoint (from its discovery document: any https host); the CSP's form-action
# also governs that redirect.
@csp_update({"form-action": ["https:"]})
@method_page("oidc")
def oidc(request):
    provider_id = services.oidc_provider_id(request.organization)
    enabled = selectors.enabled_methods(request.organization)["oidc"]
    complete = f"{reverse('verifications:oidc_complete')}?{urlencode({'next': _next(request)})}"
    login_url = f"{reverse('openid_connect_login', kwargs={'provider_id': provider_id})}?" + urlencode(
        {"process": "connect", "next": complete}
    )
    return render(
        request,
        "verifications/oidc.html",
        _context(request, login_url=login_url, provider_name=enabled.options.get("name", "OpenID Connect")),
    )


def oidc_login(request, provider_id):
    """allauth's OpenID Connect login (it fetches the provider's discovery document
    through agora.core.outgoing), mounted at allauth's own address: a provider that is
    refused, unreachable, slow, or answers an error or a malformed document is told on
    the verification page, never a 500."""
    try:
        return login(request, provider_id)
    except (requests.RequestException, OAuth2Error, KeyError, ValueError) as error:
        logger.warning("OpenID Connect provider %s: %r", provider_id, error)
        reason = str(error) if isinstance(error, OutgoingRequestError) else _("it did not answer as expected")
        messages.error(
            request,
            _(
                "The identity provider cannot be reached just now (%(reason)s). Try again "
                "later; if it lasts, tell the organization."
            )
            % {"reason": reason},
        )
        return redirect("verifications:oidc")


@method_page("oidc")
def oidc_complete(request):
    """Back from the identity provider (allauth connected the account):
    read the claims, verify, then forget the connection (minimal evidence)."""
    provider_id = services.oidc_provider_id(request.organization)
    accounts = SocialAccount.objects.filter(user=request.user, provider=provider_id).order_by("-last_login", "-id")
    account = accounts.first()
    if account is None:
        messages.error(request, _("The identity provider did not confirm your identity. Try again."))
        return redirect("verifications:oidc")
    extra = account.extra_data or {}
    claims = {**(extra.get("id_token") or {}), **(extra.get("userinfo") or {})}
    accounts.delete()
    try:
        verification = services.verify_by_oidc(user=request.user, organization=request.organization, claims=claims)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("verifications:oidc")
    return _done(request, verification)
