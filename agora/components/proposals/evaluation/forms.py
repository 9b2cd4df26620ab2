"""Forms of the back-office of ideas."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.components.proposals.evaluation.models import Criterion
from agora.components.proposals.evaluation.services import parse_cost
from agora.components.proposals.models import CustomField, Proposal, ProposalState
from agora.core.forms import LANGUAGE_NAMES, TranslatedFieldsMixin
from agora.core.translations import translated
from agora.taxonomy.models import Category, Scope

# "All" agrees with the field's noun in French: "Catégorie : Toutes", "État : Tous".
YES_NO_ALL = (("", pgettext_lazy("yes or no", "All")), ("yes", _("Yes")), ("no", _("No")))


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Text, reference or number"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State (working copy)"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=pgettext_lazy("every category", "All"),
    )
    scope = forms.ModelChoiceField(
        label=_("Scope"), required=False, queryset=Scope.objects.none(), empty_label=pgettext_lazy("every scope", "All")
    )
    evaluator = forms.ChoiceField(label=_("Evaluator"), required=False)
    answered = forms.ChoiceField(label=_("Answered"), required=False, choices=YES_NO_ALL)
    published = forms.ChoiceField(label=_("Answer published"), required=False, choices=YES_NO_ALL)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=(
            ("", pgettext_lazy("every status", "All")),
            (Proposal.Status.PUBLISHED, _("Published")),
            (Proposal.Status.WITHDRAWN, _("Withdrawn")),
        ),
    )

    def __init__(self, *args, component, states, evaluators, with_evaluator=True, **kwargs):
        super().__init__(*args, **kwargs)
        organization = component.space.organization
        self.fields["state"].choices = [("", pgettext_lazy("every state", "All")), ("none", _("No state"))] + [
            (str(state.pk), str(state)) for state in states
        ]
        self.fields["category"].queryset = Category.objects.filter(organization=organization)
        self.fields["scope"].queryset = Scope.objects.filter(organization=organization)
        if with_evaluator:
            self.fields["evaluator"].choices = [
                ("", pgettext_lazy("every evaluator", "All")),
                ("none", _("Nobody assigned")),
            ] + [(str(person.pk), person.public_name) for person in evaluators]
        else:
            del self.fields["evaluator"]


class BulkForm(forms.Form):
    ACTIONS = (
        ("state", _("Change the state (working copy)")),
        ("publish", _("Publish the answers")),
        ("category", _("Change the category")),
        ("scope", _("Change the scope")),
        ("assign", _("Assign evaluators")),
        ("unassign", _("Remove evaluators")),
    )
    proposals = forms.TypedMultipleChoiceField(label=_("Selected ideas"), coerce=int)
    action = forms.ChoiceField(label=_("Action on the selected ideas"), choices=ACTIONS)
    state = forms.ModelChoiceField(
        label=_("New state"), required=False, queryset=ProposalState.objects.none(), empty_label=_("No state")
    )
    category = forms.ModelChoiceField(
        label=_("New category"), required=False, queryset=Category.objects.none(), empty_label=_("No category")
    )
    scope = forms.ModelChoiceField(
        label=_("New scope"), required=False, queryset=Scope.objects.none(), empty_label=_("No scope")
    )
    evaluators: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Evaluators"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, component, proposal_ids, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        organization = component.space.organization
        self.fields["proposals"].choices = [(pk, pk) for pk in proposal_ids]
        self.fields["state"].queryset = ProposalState.objects.filter(component=component)
        self.fields["category"].queryset = Category.objects.filter(organization=organization)
        self.fields["scope"].queryset = Scope.objects.filter(organization=organization)
        self.fields["evaluators"].queryset = evaluators
        self.fields["evaluators"].label_from_instance = lambda person: person.public_name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in ("assign", "unassign") and not cleaned.get("evaluators"):
            self.add_error("evaluators", _("Choose at least one evaluator."))
        return cleaned


class AnswerForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"answer": {"rich": True}}
    publish = forms.BooleanField(
        label=_("Publish the answer now"),
        required=False,
        help_text=_("Otherwise it is kept for the services and published later, for example in bulk."),
    )

    class Meta:
        model = Proposal
        fields = ["state"]

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = ProposalState.objects.filter(component=component)
        self.fields["state"].empty_label = _("No state")
        self.fields["state"].label = _("State")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("state") and not any(
            (cleaned.get(f"answer__{code}") or "").strip() for code in self.organization.languages
        ):
            raise ValidationError(_("Give a state or an answer text."))
        return cleaned


class StateForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": {"required": True, "max_length": 80}}

    class Meta:
        model = ProposalState
        fields = ["token", "colour", "meaning"]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}
        help_texts = {
            "token": _("Letters, digits and dashes; used in CSV imports (for example “retenu”)."),
            "colour": _("Background of the badge; the text is black or white, whichever reads better."),
            "meaning": _("What the state stands for: accepted ideas can become projects or results."),
        }

    def clean_colour(self):
        colour = (self.cleaned_data.get("colour") or "").strip().lower()
        if len(colour) != 7 or colour[0] != "#" or any(c not in "0123456789abcdef" for c in colour[1:]):
            raise ValidationError(_("Enter a colour as #RRGGBB, for example #1d4f91."))
        return colour


def _parse_choices(text: str, languages) -> list[dict]:
    """One choice per line: value | label in the first language | label in the second ..."""
    choices, seen = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        value = parts[0]
        if not value:
            raise ValidationError(_("Line %(line)s: the value is empty.") % {"line": number})
        if value in seen:
            raise ValidationError(
                _("Line %(line)s: the value “%(value)s” is repeated.") % {"line": number, "value": value}
            )
        seen.add(value)
        labels = {code: parts[i + 1] for i, code in enumerate(languages) if i + 1 < len(parts) and parts[i + 1]}
        choices.append({"value": value, "label": labels or {languages[0]: value}})
    return choices


def choices_text(choices, languages) -> str:
    lines = []
    for choice in choices or []:
        labels = choice.get("label") or {}
        lines.append(" | ".join([choice.get("value", "")] + [labels.get(code, "") for code in languages]))
    return "\n".join(lines)


class CustomFieldForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"label": {"required": True, "max_length": 200}, "help_text": {"long": True}}
    choices_text = forms.CharField(
        label=_("Choices (for a choice list)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = CustomField
        fields = ["key", "kind", "required", "confidential"]
        help_texts = {"key": _("Letters, digits and dashes; the column name in exports.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = self.organization.languages
        self.fields["choices_text"].help_text = _(
            "One choice per line: code | label (%(languages)s). Example: velo | Vélo | Bike"
        ) % {"languages": ", ".join(str(LANGUAGE_NAMES[code]) for code in languages)}
        self.fields["choices_text"].initial = choices_text(self.instance.choices, languages)

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["choices"] = _parse_choices(cleaned.get("choices_text", ""), self.organization.languages)
        except ValidationError as error:
            self.add_error("choices_text", error)
            return cleaned
        if cleaned.get("kind") == CustomField.Kind.CHOICE and not cleaned["choices"]:
            self.add_error("choices_text", _("A choice list needs at least one choice."))
        return cleaned


class CriterionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"label": {"required": True, "max_length": 200}, "help_text": {"long": True}}

    class Meta:
        model = Criterion
        fields = ["kind", "required"]


class EvaluationForm(forms.Form):
    """The grid of one evaluator for one idea: fields named c<criterion id>_<part>."""

    def __init__(self, *args, criteria, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            label = translated(criterion.label)
            help_text = translated(criterion.help_text)
            current = existing.get(criterion.pk)
            prefix = f"c{criterion.pk}"
            if criterion.kind == Criterion.Kind.YES_NO:
                self.fields[f"{prefix}_yes"] = forms.TypedChoiceField(
                    label=label,
                    help_text=help_text,
                    required=criterion.required,
                    choices=(("yes", _("Yes")), ("no", _("No"))),
                    widget=forms.RadioSelect,
                    coerce=lambda value: value == "yes",
                    empty_value=None,
                    initial=None if current is None or current.yes is None else ("yes" if current.yes else "no"),
                )
                self.fields[f"{prefix}_reason"] = forms.CharField(
                    label=_("Reason — %(criterion)s") % {"criterion": label},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    initial=current.reason if current else "",
                    max_length=5000,
                )
            elif criterion.kind == Criterion.Kind.SCORE:
                self.fields[f"{prefix}_score"] = forms.TypedChoiceField(
                    label=label,
                    help_text=help_text,
                    required=criterion.required,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "—")] + [(str(n), str(n)) for n in range(1, 6)],
                    initial=str(current.score) if current and current.score else "",
                )
            elif criterion.kind == Criterion.Kind.COST:
                self.fields[f"{prefix}_cost"] = forms.CharField(
                    label=_("%(criterion)s (euros)") % {"criterion": label},
                    help_text=help_text,
                    required=criterion.required,
                    max_length=30,
                    initial=str(current.cost) if current and current.cost is not None else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            else:
                self.fields[f"{prefix}_note"] = forms.CharField(
                    label=label,
                    help_text=help_text,
                    required=criterion.required,
                    max_length=10000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    initial=current.note if current else "",
                )

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            name = f"c{criterion.pk}_cost"
            if name in self.fields and name not in self.errors:
                try:
                    cost = parse_cost(cleaned.get(name, ""))
                except ValueError:
                    self.add_error(name, _("Enter an amount in euros, for example 12500 or 12 500,50."))
                    continue
                if cost is not None and (cost < 0 or cost >= 10**10):
                    self.add_error(name, _("Enter an amount between 0 and 9 999 999 999 euros."))
                    continue
                cleaned[name] = cost
        return cleaned

    def values(self) -> dict:
        result = {}
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}"
            result[criterion.pk] = {
                "yes": self.cleaned_data.get(f"{prefix}_yes"),
                "reason": self.cleaned_data.get(f"{prefix}_reason", ""),
                "score": self.cleaned_data.get(f"{prefix}_score"),
                "cost": self.cleaned_data.get(f"{prefix}_cost"),
                "note": self.cleaned_data.get(f"{prefix}_note", ""),
            }
        return result


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of answers"),
        help_text=_(
            "UTF-8, separated by commas or semicolons. Columns: id or reference, state, "
            "answer_fr, answer_en, publish (yes/no). Nothing changes before you confirm."
        ),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload
