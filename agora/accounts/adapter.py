from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import login
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import RESERVED_EMAIL_DOMAIN, is_reserved_nickname, nickname_validator
from agora.accounts.selectors import pending_invitation
from agora.core.outgoing import safe_session
from agora.outbox.services import email_language, new_key, queue_message


def invitation_from_request(request):
    """The valid invitation whose token the signup page carries (in the
    link's query string, then in the form's hidden field)."""
    organization = getattr(request, "organization", None)
    if organization is None:
        return None
    token = request.GET.get("invitation") or request.POST.get("invitation") or ""
    return pending_invitation(organization, token)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_taken": _("This nickname is already taken; choose another one."),
        "username_blacklisted": _("This nickname cannot be used; choose another one."),
    }

    def is_open_for_signup(self, request):
        organization = getattr(request, "organization", None)
        if organization is None:
            return False
        if organization.registration_mode == organization.Registration.OPEN:
            return True
        if organization.registration_mode == organization.Registration.INVITATION:
            return invitation_from_request(request) is not None
        return False

    def clean_username(self, username, shallow=False):
        # The model's rule for nicknames (allauth's default allows more);
        # uniqueness is case-insensitive (allauth compares with iexact).
        nickname_validator(username)
        if is_reserved_nickname(username):
            raise self.validation_error("username_blacklisted")
        return super().clean_username(username, shallow=shallow)

    def clean_email(self, email):
        if email.lower().endswith("@" + RESERVED_EMAIL_DOMAIN):
            raise ValidationError(_("Enter an e-mail address where you can receive messages."))
        return super().clean_email(email)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """What allauth's "key" rate of ACCOUNT_RATE_LIMITS["login_failed"] counts: the
        account AND the visitor's address together (allauth counts the account alone), so
        a stranger's wrong passwords lock only the stranger's own address out of that
        account, never its owner elsewhere. Guessing from many addresses at once meets the
        per-address limit, Argon2 and the password rules. (allauth 65.21's hook; the login
        tests fail if a new allauth stops calling it.)"""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}@{get_ip(request)}"

    def confirm_email(self, request, email_address):
        """Confirming the address of a new account logs its owner in, whatever
        browser opens the link (allauth only does so in the browser that signed
        up, and only until the person goes elsewhere). Once only: the address
        was not confirmed yet and the account has never been logged in, so a
        link found later in a mailbox or a log opens nothing; a visitor logged in
        as someone else stays who they are."""
        confirmed = super().confirm_email(request, email_address)
        user = email_address.user
        if (
            confirmed
            and request is not None
            and not request.user.is_authenticated
            and user.is_active
            and user.last_login is None
            and not user.is_deleted
        ):
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return confirmed

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (address confirmation, password reset ...) go
        through the outbox like every other e-mail (agora.outbox), in the
        language every e-mail takes (`outbox.services.email_language`: the
        person's preferred one, else the page's, else the organization's)."""
        request = allauth_context.request
        organization = getattr(request, "organization", None)
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "organization": organization,
            **context,
        }
        person = context.get("user") if getattr(context.get("user"), "pk", None) else None
        language = email_language(organization, person, get_language() or "")
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        kind = "accounts." + template_prefix.rsplit("/", 1)[-1]
        queue_message(message, key=new_key(kind), kind=kind, organization=organization, language=language)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_requests_session(self):
        """Every request allauth makes to an identity provider (the discovery document an
        officer's address names, then the token, key and user-info addresses that document
        gives) goes through Agora's outgoing guard: public addresses only, checked where the
        socket opens and on every redirect, timeouts, a size limit."""
        return safe_session()
