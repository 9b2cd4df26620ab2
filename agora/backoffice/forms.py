"""Forms of the back-office screens that are not about one app's models:
organization settings, terms, components and their settings, roles."""

from typing import cast

from django import forms
from django.conf import settings as django_settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agora.accounts.forms import PersonField, PersonFormMixin
from agora.components.models import Component
from agora.components.registry import registry
from agora.core import fonts
from agora.core.forms import ErrorSummaryMixin, TranslatedFieldsMixin, check_image_size
from agora.core.models import AccessibilityStatement, AccessibilityStatus, Organization, TermsVersion
from agora.core.services import check_colour_contrast
from agora.spaces.models import Role, Space

COLOUR_HELP = _("Six hexadecimal digits after #, for example #1d4f91. White text must stay readable on it.")


class OrganizationForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"description": {"rich": True}}

    available_languages = forms.MultipleChoiceField(
        label=_("Available languages"),
        choices=django_settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    profile_fields = forms.MultipleChoiceField(
        label=_("Optional profile fields asked at registration"),
        required=False,
        choices=list(Organization.PROFILE_FIELDS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They are optional for participants and only feed participation statistics."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "logo",
            "favicon",
            "primary_colour",
            "secondary_colour",
            "font",
            "font_use",
            "default_language",
            "available_languages",
            "reference_prefix",
            "contact_email",
            "sender_email",
            "registration_mode",
            "profile_fields",
            "staff_mfa_required",
            "machine_translation",
        ]
        help_texts = {
            "primary_colour": COLOUR_HELP,
            "secondary_colour": COLOUR_HELP,
            "reference_prefix": _("Starts the reference of every idea, e.g. AG-IDEA-12."),
        }
        widgets = {
            "registration_mode": forms.RadioSelect,
            "font_use": forms.RadioSelect,
            "font": forms.ClearableFileInput(attrs={"accept": ".woff2,font/woff2"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["font_use"].required = False  # without a choice: the headings

    def clean_font_use(self):
        return self.cleaned_data.get("font_use") or "headings"

    def clean_font(self):
        font = self.cleaned_data.get("font")
        if isinstance(font, UploadedFile):
            fonts.clean_font(font)  # by its content: a WOFF2 font, at most 1 MB
        return font

    def clean_logo(self):
        return check_image_size(self.cleaned_data.get("logo"))

    def clean_favicon(self):
        return check_image_size(self.cleaned_data.get("favicon"))

    def _clean_colour(self, name):
        colour = self.cleaned_data.get(name)
        if colour:
            check_colour_contrast(colour)
        return colour

    def clean_primary_colour(self):
        return self._clean_colour("primary_colour")

    def clean_secondary_colour(self):
        return self._clean_colour("secondary_colour")

    def clean(self):
        cleaned = super().clean()
        default, available = cleaned.get("default_language"), cleaned.get("available_languages")
        if default and available is not None and default not in available:
            self.add_error("available_languages", _("The default language must be one of the available languages."))
        return cleaned


class TermsForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "body": {"rich": True, "required": True},
        "summary_of_changes": {
            "long": True,
            "required": True,
            "help_text": _("Participants read this summary before accepting the new version."),
        },
    }

    class Meta:
        model = TermsVersion
        fields: list = []


# --- components -------------------------------------------------------------------


class AddComponentForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": {"help_text": _("Leave empty to use the name of the type.")}}

    manifest_name = forms.ChoiceField(label=_("Type"), widget=forms.RadioSelect)

    class Meta:
        model = Component
        fields = ["manifest_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manifest_name"].choices = [
            (m.name, f"{m.label} — {m.description}" if m.description else m.label) for m in registry.all()
        ]
        # The type first.
        self.order_fields(["manifest_name"])

    def name_value(self) -> dict:
        name = self.translated_value("name")
        if not name:
            manifest = registry[self.cleaned_data["manifest_name"]]

            for code in self.organization.languages:
                with translation.override(code):
                    name[code] = str(manifest.label)
        return name


class ComponentForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": {"required": True}}

    class Meta:
        model = Component
        fields = ["weight"]
        help_texts = {"weight": _("Components are shown from the smallest number to the largest.")}


def _setting_field(setting, initial):
    common = {"label": setting.label, "help_text": setting.help_text, "initial": initial}
    if setting.type == "bool":
        return forms.BooleanField(required=False, **common)
    if setting.type == "int":
        return forms.IntegerField(min_value=setting.min_value, max_value=setting.max_value, **common)
    if setting.type == "choice":
        return forms.ChoiceField(choices=list(setting.choices), **common)
    if setting.type == "text":
        return forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), **common)
    return forms.CharField(required=False, max_length=500, **common)


class SettingsForm(ErrorSummaryMixin, forms.Form):
    """The settings of a manifest (or its per-phase settings) as form fields."""

    def __init__(self, *args, definitions, values: dict, legend="", **kwargs):
        super().__init__(*args, **kwargs)
        self.legend = legend
        for setting in definitions:
            self.fields[setting.name] = _setting_field(setting, values.get(setting.name, setting.default))

    def raw_values(self) -> dict:
        return dict(self.cleaned_data)


def component_settings_forms(component, data=None):
    """(global settings form, [(phase, per-phase form)]) for a component."""
    manifest = component.manifest
    values = manifest.default_settings() | (component.settings or {})
    general = SettingsForm(data, definitions=manifest.settings, values=values, prefix="settings", legend=_("Settings"))
    per_phase = []
    if manifest.phase_settings:
        for phase in component.space.phases.order_by("position", "id"):
            stored = manifest.default_phase_settings() | (component.phase_settings or {}).get(str(phase.pk), {})
            per_phase.append(
                (
                    phase,
                    SettingsForm(data, definitions=manifest.phase_settings, values=stored, prefix=f"phase-{phase.pk}"),
                )
            )
    return general, per_phase


# --- people and roles ------------------------------------------------------------------


class RoleForm(ErrorSummaryMixin, PersonFormMixin, forms.Form):
    person = PersonField()
    name = forms.ChoiceField(label=_("Role"), choices=Role.Name.choices)
    space = forms.ModelChoiceField(
        label=_("Space"),
        queryset=Space.objects.none(),
        required=False,
        help_text=_("Every role except organization admin applies to one space."),
    )

    def __init__(self, *args, organization, **kwargs):
        self.organization = organization
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(organization=organization).order_by("kind", "id")
        self.fields["space"].label_from_instance = lambda space: f"{space} ({space.get_kind_display()})"

    def clean(self):
        cleaned = super().clean()
        name, space = cleaned.get("name"), cleaned.get("space")
        if name and name != Role.Name.ORGANIZATION_ADMIN and space is None:
            self.add_error("space", _("Choose the space where this role applies."))
        return cleaned


class AccessibilityStatementForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    """The statement (AccessibilityStatement) and the status shown in the footer (Organization)."""

    LIST_HELP = _("One item per line.")
    translated_fields = {
        "audit_method": {
            "long": True,
            "max_length": 4000,
            "help_text": _(
                "The pages of the sample, the technologies, browsers and assistive technologies used, and the tools."
            ),
        },
        "non_conformities": {"long": True, "max_length": 8000, "help_text": LIST_HELP},
        "derogations": {"long": True, "max_length": 4000, "help_text": LIST_HELP},
        "exempt_content": {"long": True, "max_length": 4000, "help_text": LIST_HELP},
        "contact": {
            "long": True,
            "max_length": 1000,
            "help_text": _("Postal address, telephone, contact form … The organization's contact e-mail is shown too."),
        },
    }

    status = forms.ChoiceField(
        label=_("Conformance status"),
        widget=forms.RadioSelect,
        help_text=_("Shown in the footer of every page. Without an audit, the site is not compliant."),
    )

    plan_url = AccessibilityStatement._meta.get_field("plan_url").formfield(assume_scheme="https")

    class Meta:
        model = AccessibilityStatement
        fields = ["status", "standard", "audit_date", "audited_by", "conformance_rate", "plan_url", "established_on"]
        widgets = {
            "audit_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)

        cast(forms.ChoiceField, self.fields["status"]).choices = AccessibilityStatus.choices
        self.fields["status"].initial = status
        self.order_fields(["status"])

    def statement_values(self) -> dict:
        values = {name: self.cleaned_data.get(name) for name in self._meta.fields or () if name != "status"}
        for name in self.translated_fields:
            values[name] = self.translated_value(name)
        return values


class SystemOrganizationForm(ErrorSummaryMixin, forms.Form):
    """An organization as a platform admin sees it in /system/."""

    name = forms.CharField(label=_("Name"), max_length=200)
    host = forms.CharField(
        label=_("Host name"),
        max_length=255,
        help_text=_(
            "The address of its site, for example participation.ville.fr (no http://, no port). The "
            "proxy and the AGORA_ALLOWED_HOSTS setting must accept it too."
        ),
    )
    available_languages = forms.MultipleChoiceField(
        label=_("Available languages"),
        choices=django_settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    default_language = forms.ChoiceField(label=_("Default language"), choices=django_settings.LANGUAGES)

    def clean(self):
        cleaned = super().clean()
        default, available = cleaned.get("default_language"), cleaned.get("available_languages")
        if default and available is not None and default not in available:
            self.add_error("default_language", _("The default language must be one of the available languages."))
        return cleaned


class SystemOrganizationCreateForm(SystemOrganizationForm):
    first_admin_email = forms.EmailField(
        label=_("E-mail of its first administrator"),
        help_text=_(
            "This person receives an invitation e-mail; the account they create with it administers the organization."
        ),
    )


class AdminInvitationForm(ErrorSummaryMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail of the administrator to invite"))
