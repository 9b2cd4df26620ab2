from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.components.initiatives import services
from agora.components.initiatives.models import Initiative, InitiativeTier, InitiativeType, Tier
from agora.core.forms import ErrorSummaryMixin, TranslatedFieldsMixin
from agora.core.translations import translated
from agora.taxonomy.models import Scope
from agora.verifications import methods as method_registry


class ScopeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return translated(obj.name)


def _scopes(organization):
    return Scope.objects.filter(organization=organization).order_by("code")


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", pgettext_lazy("every state", "All"))]
        + [(value, label) for value, label in Initiative.State.choices if value in Initiative.PUBLIC_STATES],
    )

    def values(self) -> dict:
        return {"state": self.cleaned_data["state"] if self.is_valid() else ""}


class InitiativeForm(forms.Form):
    """A resident files (or edits) an initiative: plain text."""

    initiative_type = forms.ModelChoiceField(queryset=InitiativeType.objects.none(), label=_("Kind of initiative"))
    title = forms.CharField(label=_("Title"), max_length=services.TITLE_MAX)
    body = forms.CharField(
        label=_("What do you ask the city?"),
        widget=forms.Textarea(attrs={"rows": 10}),
        min_length=services.BODY_MIN,
        max_length=services.BODY_MAX,
        help_text=_(
            "The proposal, why, and what the city should do. The city checks it is legal and within its powers."
        ),
    )
    question = forms.CharField(
        label=_("Question for a citizen vote"),
        max_length=300,
        required=False,
        help_text=_("If the initiative reaches the citizen vote, the question the residents would answer."),
    )
    scope = ScopeChoice(
        queryset=Scope.objects.none(),
        required=False,
        label=_("District or territory"),
        empty_label=pgettext_lazy("no scope", "None"),
    )

    def __init__(self, *args, component, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        types = InitiativeType.objects.filter(component=component)
        self.fields["initiative_type"].queryset = types
        self.fields["initiative_type"].label_from_instance = lambda item: translated(item.title)
        if editing:
            del self.fields["initiative_type"]
        self.fields["scope"].queryset = _scopes(component.space.organization)


class SignForm(forms.Form):
    public = forms.BooleanField(
        label=_("Show my name among the signers"),
        required=False,
        help_text=_("Otherwise only the number of signatures is public."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


class RefuseForm(ErrorSummaryMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the initiative is not admissible (public)"), widget=forms.Textarea(attrs={"rows": 5})
    )


class StrikeForm(ErrorSummaryMixin, forms.Form):
    reason = forms.CharField(label=_("Why the signature is invalid"), max_length=300)


class OutcomeForm(ErrorSummaryMixin, forms.Form):
    outcome = forms.CharField(
        label=_("Conclusion of the check (public)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the drawn signatures were checked (census, calls, visits) and what was found."),
    )


class SeedForm(ErrorSummaryMixin, forms.Form):
    percent = forms.DecimalField(
        label=_("Share of the signatures to check (%)"), min_value=0, max_value=100, decimal_places=2, initial=20
    )
    seed = forms.CharField(
        label=_("Seed of the draw"),
        max_length=128,
        help_text=_(
            "Published before the draw so that anyone can re-derive it: for example the numbers of a "
            "public lottery drawn after today."
        ),
    )


class PaperLineForm(ErrorSummaryMixin, forms.Form):
    sheet = forms.IntegerField(label=_("Sheet number"), min_value=1)
    line = forms.IntegerField(label=_("Line"), min_value=1, max_value=1000)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    signed_on = forms.DateField(label=_("Date signed"), widget=forms.DateInput(attrs={"type": "date"}))


class SheetCountForm(ErrorSummaryMixin, forms.Form):
    sheet = forms.IntegerField(label=_("Sheet number"), min_value=1)
    count = forms.IntegerField(label=_("Signatures on the sheet"), min_value=1, max_value=1000)
    last_signed_on = forms.DateField(
        label=_("Date of the last signature on the sheet"), widget=forms.DateInput(attrs={"type": "date"})
    )
    scan = forms.FileField(
        label=_("Scan of the sheet (PDF or picture)"),
        help_text=_(
            "A counted sheet cannot be checked against the online signatures (no names are typed): "
            "enter it line by line when you can."
        ),
    )


def _method_choices():
    return [(method.name, method.label) for method in method_registry.all_methods()]


class TypeForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"title": {"required": True, "max_length": 200}, "description": {"rich": True}}
    file_methods = forms.MultipleChoiceField(
        label=_("To file: verified with"), required=False, widget=forms.CheckboxSelectMultiple
    )
    file_min_age = forms.IntegerField(label=_("To file: minimum age"), required=False, min_value=0, max_value=120)
    sign_methods = forms.MultipleChoiceField(
        label=_("To sign: verified with"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sign_min_age = forms.IntegerField(
        label=_("To sign: minimum age (on the day of signing)"), required=False, min_value=0, max_value=120
    )
    sign_postal_codes = forms.CharField(
        label=_("To sign: residence (verified postal codes, separated by commas)"), required=False, max_length=300
    )
    sign_match_scope = forms.BooleanField(
        label=_("To sign: live in the initiative's district (verified)"), required=False
    )

    class Meta:
        model = InitiativeType
        fields = ["signing", "committee_minimum", "signature_days", "withdrawal_allowed", "population"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _method_choices()
        self.fields["file_methods"].choices = choices
        self.fields["sign_methods"].choices = choices
        if self.instance.pk:
            file_rule, sign_rule = self.instance.file_rule or {}, self.instance.sign_rule or {}
            self.fields["file_methods"].initial = file_rule.get("methods", [])
            self.fields["file_min_age"].initial = file_rule.get("min_age")
            self.fields["sign_methods"].initial = sign_rule.get("methods", [])
            self.fields["sign_min_age"].initial = sign_rule.get("min_age")
            self.fields["sign_postal_codes"].initial = ", ".join(sign_rule.get("postal_codes", []))
            self.fields["sign_match_scope"].initial = sign_rule.get("match_scope", False)

    def _post_clean(self):
        pass

    def values(self) -> dict:
        data = self.cleaned_data
        codes = [code.strip() for code in (data.get("sign_postal_codes") or "").split(",") if code.strip()]
        return {
            "title": self.translated_value("title"),
            "description": self.translated_value("description"),
            **{name: data.get(name) for name in self.Meta.fields},
            "file_rule": {"methods": data.get("file_methods") or [], "min_age": data.get("file_min_age")},
            "sign_rule": {
                "methods": data.get("sign_methods") or [],
                "min_age": data.get("sign_min_age"),
                "postal_codes": codes,
                "match_scope": data.get("sign_match_scope"),
            },
        }


class TierForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"consequence": {"rich": True}}

    class Meta:
        model = Tier
        fields = ["threshold", "percent", "window_days", "kind", "response_days"]

    def _post_clean(self):
        pass

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data.get(name) for name in self.Meta.fields},
            "consequence": self.translated_value("consequence"),
        }


class ScopeThresholdForm(ErrorSummaryMixin, forms.Form):
    scope = ScopeChoice(queryset=Scope.objects.none(), label=_("District or territory"))
    threshold = forms.IntegerField(label=_("Signatures required"), required=False, min_value=1)
    percent = forms.DecimalField(
        label=_("or a percentage of its population"), required=False, min_value=0, max_value=100, decimal_places=3
    )
    population = forms.IntegerField(label=_("Population of the district"), required=False, min_value=1)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = _scopes(organization)


class ResponseForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"response": {"rich": True, "required": True}}

    class Meta:
        model = InitiativeTier
        fields: list[str] = []

    def _post_clean(self):
        pass
