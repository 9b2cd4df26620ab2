"""Forms of the questionnaire builder (officers)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.forms import LANGUAGE_NAMES, TranslatedFieldsMixin
from agora.core.translations import translated
from agora.questionnaires.models import Condition, Question

Kind = Question.Kind

# Which settings each type of question has (the form shows only those).
FIELDS_OF_KIND = {
    Kind.SHORT_TEXT: ["mandatory"],
    Kind.LONG_TEXT: ["mandatory", "max_length"],
    Kind.SINGLE: ["mandatory"],
    Kind.MULTIPLE: ["mandatory", "min_choices", "max_choices"],
    Kind.RANKING: ["mandatory"],
    Kind.MATRIX_SINGLE: ["mandatory"],
    Kind.MATRIX_MULTIPLE: ["mandatory", "max_choices"],
    Kind.SCALE: ["mandatory", "scale_min", "scale_max"],
    Kind.NUMBER: ["mandatory", "number_min", "number_max"],
    Kind.DATE: ["mandatory", "date_min", "date_max"],
    Kind.FILE: ["mandatory"],
    Kind.SECTION: [],
    Kind.PAGE_BREAK: [],
}
ALL_SETTINGS = [
    "mandatory",
    "max_length",
    "min_choices",
    "max_choices",
    "scale_min",
    "scale_max",
    "number_min",
    "number_max",
    "date_min",
    "date_max",
]


class QuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    """A question of a given type, its options and matrix rows: each existing
    option (row) has a label per language and a box to remove it; new ones are
    typed one per line."""

    translated_fields = {
        "title": {"max_length": 500},
        "help_text": {"long": True, "max_length": 2000},
        "scale_min_label": {"max_length": 100},
        "scale_max_label": {"max_length": 100},
    }

    class Meta:
        model = Question
        fields = ALL_SETTINGS
        widgets = {
            "date_min": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_max": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        languages = self.organization.languages
        keep = set(FIELDS_OF_KIND[kind])
        for name in ALL_SETTINGS:
            if name not in keep:
                del self.fields[name]
        if kind != Kind.SCALE:
            for code in languages:
                del self.fields[f"scale_min_label__{code}"]
                del self.fields[f"scale_max_label__{code}"]
        if kind == Kind.PAGE_BREAK:
            for code in languages:
                del self.fields[f"title__{code}"]
                del self.fields[f"help_text__{code}"]
        elif languages:
            self.fields[f"title__{languages[0]}"].required = True
        self.choice_groups = []
        if kind in Question.CHOICE_KINDS:
            self._choice_fields(
                "option",
                _("Options"),
                list(self.instance.options.all()) if self.instance.pk else [],
                free_text=kind in (Kind.SINGLE, Kind.MULTIPLE),
            )
        if kind in Question.MATRIX_KINDS:
            self._choice_fields("row", _("Rows"), list(self.instance.rows.all()) if self.instance.pk else [])

    def _choice_fields(self, prefix, title, existing, free_text=False):
        names = []
        for item in existing:
            for code in self.organization.languages:
                name = f"{prefix}_{item.pk}__{code}"
                self.fields[name] = forms.CharField(
                    label=_("%(item)s (%(language)s)")
                    % {"item": translated(item.label), "language": LANGUAGE_NAMES[code]},
                    required=False,
                    max_length=300,
                    initial=(item.label or {}).get(code, ""),
                )
                names.append(name)
            if free_text:
                self.fields[f"{prefix}_{item.pk}_other"] = forms.BooleanField(
                    label=_("“%(item)s” asks to specify (“Other, please specify”)") % {"item": translated(item.label)},
                    required=False,
                    initial=item.free_text,
                )
                names.append(f"{prefix}_{item.pk}_other")
            self.fields[f"{prefix}_{item.pk}_delete"] = forms.BooleanField(
                label=_("Remove “%(item)s”") % {"item": translated(item.label)}, required=False
            )
            names.append(f"{prefix}_{item.pk}_delete")
        for code in self.organization.languages:
            name = f"new_{prefix}s__{code}"
            self.fields[name] = forms.CharField(
                label=(
                    _("New options, one per line (%(language)s)")
                    if prefix == "option"
                    else _("New rows, one per line (%(language)s)")
                )
                % {"language": LANGUAGE_NAMES[code]},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Other languages: the same lines in the same order.")
                if code != self.organization.languages[0]
                else "",
            )
            names.append(name)
        if free_text:
            self.fields["new_other"] = forms.BooleanField(
                label=_("The last new option asks to specify (“Other, please specify”)"), required=False
            )
            names.append("new_other")
        self.choice_groups.append((title, names, prefix, existing))

    def settings(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in FIELDS_OF_KIND[self.kind] if name in self.cleaned_data}
        for name in ("title", "help_text", "scale_min_label", "scale_max_label"):
            if any(field.startswith(f"{name}__") for field in self.fields):
                fields[name] = self.translated_value(name)
        if self.kind == Kind.PAGE_BREAK:
            fields["title"] = {}
        return fields

    def choices(self, prefix) -> list | None:
        """(id or None, label, free_text) of the options (rows), or None for a question without them."""
        group = next((group for group in self.choice_groups if group[2] == prefix), None)
        if group is None:
            return None
        languages = self.organization.languages
        found = []
        for item in group[3]:
            if self.cleaned_data.get(f"{prefix}_{item.pk}_delete"):
                continue
            label = {code: (self.cleaned_data.get(f"{prefix}_{item.pk}__{code}") or "").strip() for code in languages}
            label = {code: text for code, text in label.items() if text} or item.label
            found.append((item.pk, label, bool(self.cleaned_data.get(f"{prefix}_{item.pk}_other"))))
        lines = {
            code: [
                line.strip()
                for line in (self.cleaned_data.get(f"new_{prefix}s__{code}") or "").splitlines()
                if line.strip()
            ]
            for code in languages
        }
        first = lines[languages[0]]
        for index, text in enumerate(first):
            label = {languages[0]: text}
            for code in languages[1:]:
                if index < len(lines[code]):
                    label[code] = lines[code][index]
            found.append((None, label, bool(self.cleaned_data.get("new_other")) and index == len(first) - 1))
        return found


OPERATORS = Condition.Operator.choices


class ConditionsForm(forms.Form):
    """The display conditions of a question: how they combine, then rows of
    (question, comparison, option or number); an empty row is ignored."""

    ROWS = 4

    mode = forms.ChoiceField(
        label=_("Show this question when"),
        choices=[("all", _("all the conditions below hold")), ("any", _("at least one of the conditions below holds"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, question, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        sources = [("", "—")] + [(str(q.pk), translated(q.title)) for q in earlier if not q.is_layout]
        options = [("", "—")] + [
            (str(o.pk), f"{translated(q.title)} — {translated(o.label)}")
            for q in earlier
            if q.has_options
            for o in q.options.all()
        ]
        existing = list(question.conditions.all())
        self.initial.setdefault("mode", question.condition_mode)
        self.rows = []
        for index in range(max(self.ROWS, len(existing) + 1)):
            current = existing[index] if index < len(existing) else None
            number = index + 1
            self.fields[f"source_{index}"] = forms.ChoiceField(
                label=_("Condition %(number)s: the answer to") % {"number": number},
                choices=sources,
                required=False,
                initial=str(current.source_id) if current else "",
            )
            self.fields[f"operator_{index}"] = forms.ChoiceField(
                label=_("Condition %(number)s: comparison") % {"number": number},
                choices=OPERATORS,
                required=False,
                initial=current.operator if current else "equals",
            )
            self.fields[f"option_{index}"] = forms.ChoiceField(
                label=_("Condition %(number)s: option (for “is the option” and “is not the option”)")
                % {"number": number},
                choices=options,
                required=False,
                initial=str(current.option_id) if current and current.option_id else "",
            )
            self.fields[f"value_{index}"] = forms.DecimalField(
                label=_("Condition %(number)s: number (for “is above” and “is below”)") % {"number": number},
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=current.value if current else None,
            )
            self.rows.append(index)

    def conditions(self) -> list:
        found = []
        for index in self.rows:
            source = self.cleaned_data.get(f"source_{index}")
            if not source:
                continue
            option = self.cleaned_data.get(f"option_{index}")
            found.append(
                (
                    int(source),
                    self.cleaned_data.get(f"operator_{index}") or "equals",
                    int(option) if option else None,
                    self.cleaned_data.get(f"value_{index}"),
                )
            )
        return found


class TemplateChoiceForm(forms.Form):
    source = forms.ChoiceField(label=_("Copy the questions of"))

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(str(pk), label) for pk, label in sources]


class SaveTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name of the template"), max_length=200)
