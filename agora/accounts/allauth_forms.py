"""allauth's forms with Agora's labels, help texts and order
(settings.ACCOUNT_FORMS). Kept apart from forms.py because allauth builds
its signup form on top of forms.SignupExtraForm when it loads."""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

ENTRY_ORDER = ["name", "username", "email", "password1", "password2"]


def _quiet_placeholders(form):
    """Labels are always visible; placeholders repeating them add noise."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Nickname")
        username.help_text = _(
            "Your public handle, shown with your contributions: 3 to 30 letters, digits, hyphens or underscores."
        )
        username.widget.attrs["autocomplete"] = "username"
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].help_text = _("We send a link to this address to confirm it. It is never shown publicly.")
        if self.invitation is not None:
            self.fields["email"].initial = self.invitation.email
            self.fields["email"].widget.attrs["readonly"] = True
            self.fields["email"].help_text = _("The address your invitation was sent to.")
        _quiet_placeholders(self)
        order = ENTRY_ORDER + self.profile_field_names + ["accept_terms", "newsletter", "invitation"]
        self.order_fields(order)

    def clean_email(self):
        if self.invitation is not None:
            # The address is locked to the invitation's.
            self.cleaned_data["email"] = self.invitation.email.lower()
        return super().clean_email()

    @property
    def is_invited(self) -> bool:
        return self.invitation is not None

    @property
    def entry_fields(self):
        return [
            self[name]
            for name in self.fields
            if name not in self.profile_field_names and name not in ("accept_terms", "newsletter", "invitation")
        ]

    @property
    def profile_fields(self):
        return [self[name] for name in self.profile_field_names]


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["login"].widget.attrs["autocomplete"] = "email"
        # The page links to the password reset itself, below the form.
        self.fields["password"].help_text = ""
        _quiet_placeholders(self)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        _quiet_placeholders(self)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _quiet_placeholders(self)


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _quiet_placeholders(self)


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        _quiet_placeholders(self)
