from typing import cast

from allauth.account.adapter import get_adapter
from allauth.core import context
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agora.accounts.adapter import invitation_from_request
from agora.accounts.models import User, is_reserved_nickname, nickname_validator
from agora.accounts.selectors import participant_by_handle
from agora.accounts.services import PROFILE_FIELD_NAMES, complete_signup, nickname_is_taken
from agora.core.validators import validate_image

PROFILE_STATISTICS_NOTE = _(
    "These questions are optional. Your answers serve only the statistics of participation; "
    "they are never shown on your public profile."
)


def _terms_help_text():
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("accounts:terms"),
        _("Read the terms of use and participation charter (opens in a new tab)"),
    )


def profile_form_fields(organization) -> dict[str, forms.Field]:
    """The optional profile questions this organization asks, as form fields."""
    fields: dict[str, forms.Field] = {}
    for name in organization.profile_fields if organization else []:
        if name not in PROFILE_FIELD_NAMES:
            continue
        model_field = cast(models.Field, User._meta.get_field(name))
        label = str(model_field.verbose_name).capitalize()
        if model_field.choices:
            fields[name] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", _("I prefer not to answer"))] + list(model_field.choices),
            )
        else:
            fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=model_field.max_length,
                widget=forms.TextInput(attrs={"autocomplete": "postal-code" if name == "postal_code" else "off"}),
            )
    return fields


class SignupExtraForm(forms.Form):
    """Fields added to allauth's signup form (allauth builds its signup form
    on top of this class and calls `signup` once the account exists).

    The organization comes from the request allauth keeps for the duration
    of the request (its AccountMiddleware)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("Shown on your public profile and next to your contributions."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    accept_terms = forms.BooleanField(
        label=_("I have read and I accept the terms of use and participation charter"),
        help_text=lazy(_terms_help_text, str)(),
        error_messages={"required": _("Accept the terms of use to create your account.")},
    )
    newsletter = forms.BooleanField(
        label=_("I would like to receive the newsletter"),
        required=False,
        help_text=_(
            "News of the projects, a few times a year. Separate from notifications; "
            "every newsletter has a link to unsubscribe at once."
        ),
    )
    invitation = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = context.request
        self.organization = getattr(request, "organization", None)
        self.invitation = invitation_from_request(request) if request is not None else None
        self.profile_field_names = []
        for name, field in profile_form_fields(self.organization).items():
            self.fields[name] = field
            self.profile_field_names.append(name)
        if self.invitation is not None:
            self.fields["invitation"].initial = self.invitation.token

    def signup(self, request, user):
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])
        if self.invitation is not None and self.invitation.email.lower() == user.email.lower():
            # The invitation link reached this address: it is verified.
            get_adapter(request).stash_verified_email(request, user.email)
        complete_signup(
            user=user,
            organization=self.organization,
            profile={name: self.cleaned_data.get(name) for name in self.profile_field_names},
            invitation=self.invitation,
            newsletter=bool(self.cleaned_data.get("newsletter")),
        )


class AccountSettingsForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("Shown on your public profile and next to your contributions."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=30,
        validators=[nickname_validator],
        help_text=_(
            "Your public handle, in the address of your profile. 3 to 30 letters, digits, hyphens or underscores."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    about = forms.CharField(
        label=_("About me"),
        max_length=1000,
        required=False,
        help_text=_("A few words shown on your public profile (1000 characters at most)."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP picture, shown on your public profile."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my current avatar"), required=False)
    language = forms.ChoiceField(
        label=_("Preferred language"), required=False, help_text=_("The language of the e-mails we send you.")
    )
    newsletter = forms.BooleanField(
        label=_("I would like to receive the newsletter"),
        required=False,
        help_text=_("Separate from notifications. You can unsubscribe here or with the link of any newsletter."),
    )

    def __init__(self, *args, user, organization, newsletter_consent_at=None, **kwargs):
        self.user = user
        self.organization = organization
        self.newsletter_consent_at = newsletter_consent_at
        initial = {
            "newsletter": newsletter_consent_at is not None,
            "name": user.name,
            "nickname": user.nickname,
            "about": user.about,
            "language": user.language,
            **{name: getattr(user, name) for name in PROFILE_FIELD_NAMES},
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["language"].choices = [("", _("The organization's default language"))] + list(
            organization.language_choices
        )
        if not user.avatar:
            del self.fields["remove_avatar"]
        self.profile_field_names = []
        for name, field in profile_form_fields(organization).items():
            self.fields[name] = field
            self.profile_field_names.append(name)

    def clean_nickname(self):
        nickname = self.cleaned_data["nickname"].strip()
        if is_reserved_nickname(nickname) and nickname.lower() != self.user.nickname.lower():
            raise forms.ValidationError(_("This nickname cannot be used; choose another one."))
        if nickname_is_taken(nickname, exclude=self.user):
            raise forms.ValidationError(_("This nickname is already taken; choose another one."))
        return nickname

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar:
            validate_image(avatar)
        return avatar

    @property
    def main_fields(self):
        return [self[name] for name in self.fields if name not in self.profile_field_names and name != "newsletter"]

    @property
    def profile_fields(self):
        return [self[name] for name in self.profile_field_names]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("To make sure it is really you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."))
        return password


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))


# --- a person of the organization, typed by staff ---------------------------------------


class PersonField(forms.CharField):
    """A participant of the organization, typed as nickname or e-mail."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Participant (nickname or e-mail)"))
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)


def find_participant(organization, text):
    text = (text or "").strip()
    user = participant_by_handle(organization, text) if text else None
    if text and user is None:
        raise ValidationError(
            _("No participant of this organization has the nickname or e-mail “%(text)s”."), params={"text": text}
        )
    return user


class PersonFormMixin:
    """Turns the `person` field into a User of the organization."""

    def clean_person(self):
        return find_participant(self.organization, self.cleaned_data.get("person"))
