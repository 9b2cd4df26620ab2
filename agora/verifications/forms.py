import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.forms import ErrorSummaryMixin
from agora.core.outgoing import OutgoingRequestRefused, check_url
from agora.taxonomy.models import Scope
from agora.verifications import methods as method_registry


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def scope_field(organization, label=_("District"), required=False):
    return forms.ModelChoiceField(
        label=label,
        required=required,
        queryset=Scope.objects.filter(organization=organization),
        help_text=_("The district (or commune) where you live, if you know it."),
    )


class IdentityForm(ErrorSummaryMixin, forms.Form):
    last_name = forms.CharField(
        label=_("Last name (birth name)"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        help_text=_("Your first first name, as on your identity card."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=DateInput(attrs={"autocomplete": "bday"}),
        help_text=_("For example 1987-05-21."),
    )


class AddressedIdentityForm(IdentityForm):
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"] = scope_field(organization)


class CensusForm(IdentityForm):
    pass


class LetterRequestForm(ErrorSummaryMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Name on the letter box"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    address = forms.CharField(
        label=_("Street address"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=10, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    city = forms.CharField(
        label=_("Town"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"] = scope_field(organization)


class CodeForm(ErrorSummaryMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )


class PhoneForm(ErrorSummaryMixin, forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=30,
        help_text=_("For example 06 12 34 56 78. We keep only a fingerprint of the number."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


class DocumentForm(AddressedIdentityForm):
    document = forms.FileField(
        label=_("Scan or photo of your identity document"),
        help_text=_("JPEG, PNG, WebP or PDF, at most 10 MB. It is deleted once checked."),
    )


# --- back-office ---------------------------------------------------------------------------


class MethodsForm(ErrorSummaryMixin, forms.Form):
    methods = forms.MultipleChoiceField(
        label=_("Methods offered to participants"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["methods"].choices = [(m.name, m.label) for m in method_registry.all_methods() if m.name != "oidc"]
        self.fields["methods"].help_text = _("OpenID Connect is enabled by configuring a provider below.")


class CensusColumnsForm(ErrorSummaryMixin, forms.Form):
    last_name = forms.CharField(label=_("Column of the last name"), max_length=60)
    first_name = forms.CharField(label=_("Column of the first name"), max_length=60)
    birth_date = forms.CharField(label=_("Column of the date of birth"), max_length=60)
    postal_code = forms.CharField(label=_("Column of the postal code"), max_length=60, required=False)
    district = forms.CharField(
        label=_("Column of the district code"),
        max_length=60,
        required=False,
        help_text=_("The codes of the organization's scopes."),
    )


class CensusUploadForm(ErrorSummaryMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file of the census"),
        help_text=_("UTF-8, comma or semicolon separated, one person per line, the first line naming the columns."),
    )
    mode = forms.ChoiceField(
        label=_("What should the file do?"),
        widget=forms.RadioSelect,
        choices=[
            (
                "replace",
                _(
                    "Replace the census: only the people of this file will be in it (you confirm after "
                    "seeing the numbers)"
                ),
            ),
            (
                "add",
                _(
                    "Add the people of this file to the census: those already in it stay (their postal code "
                    "and district are updated)"
                ),
            ),
        ],
        error_messages={"required": _("Choose whether the file replaces the census or adds to it.")},
    )
    # One upload per form: sent twice (double click, resent page), it is imported once.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = secrets.token_urlsafe(24)


class OidcForm(ErrorSummaryMixin, forms.Form):
    name = forms.CharField(label=_("Name shown to participants"), max_length=40, initial="FranceConnect")
    slug = forms.SlugField(label=_("Short identifier"), max_length=30, initial="franceconnect")
    server_url = forms.URLField(
        label=_("Discovery address of the provider"),
        max_length=300,
        assume_scheme="https",
        help_text=_("Its .well-known/openid-configuration address."),
    )
    client_id = forms.CharField(label=_("Client identifier"), max_length=191)
    secret = forms.CharField(
        label=_("Client secret"),
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the current secret."),
    )

    def clean_server_url(self):
        """The server fetches this address: refused here, on the field, when it is private
        or local (the service checks again, and so does every request)."""
        url = self.cleaned_data["server_url"]
        try:
            check_url(url)
        except OutgoingRequestRefused as refused:
            raise forms.ValidationError(str(refused), code="address") from None
        return url


class DecisionForm(ErrorSummaryMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the participant)"), max_length=300, required=False)


class EligibilityForm(ErrorSummaryMixin, forms.Form):
    methods = forms.MultipleChoiceField(
        label=_("Verification methods"), required=False, widget=forms.CheckboxSelectMultiple
    )
    require_all = forms.BooleanField(
        label=_("All the chosen methods are required (otherwise any one of them)"), required=False
    )
    min_age = forms.IntegerField(
        label=_("Minimum age"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("Computed on the day of the action."),
    )
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=130)
    postal_codes = forms.CharField(
        label=_("Allowed postal codes"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, for example 45400, 45000. Empty: any."),
    )
    match_scope = forms.BooleanField(
        label=_("The person's district must match the district of what they act on (or of the space)"), required=False
    )

    def __init__(self, *args, prefix, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["methods"].choices = method_registry.choices()

    def clean(self):
        data = super().clean()
        if data.get("min_age") is not None and data.get("max_age") is not None and data["min_age"] > data["max_age"]:
            self.add_error("max_age", _("The minimum age must not be above the maximum age."))
        data["postal_codes"] = [code.strip() for code in (data.get("postal_codes") or "").split(",") if code.strip()]
        return data
