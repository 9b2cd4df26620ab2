"""Forms of the citizen-vote component: the officer's (vote, question, option,
document, paper ballot, polling-station count) and the participant's (the
ballot is read from the posted fields by `read_marks`; the receipt check)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.components.votations.models import Option, Question, Votation
from agora.core.forms import ErrorSummaryMixin, TranslatedFieldsMixin
from agora.core.receipts import normalize_receipt
from agora.core.translations import translated

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VotationForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"title": {"required": True, "max_length": 200}, "description": {"rich": True}}
    opens_at = forms.DateTimeField(label=_("Voting opens"), required=False, widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Voting closes"), required=False, widget=DATETIME)

    class Meta:
        model = Votation
        fields = ["live_results", "electorate"]

    def _post_clean(self):
        pass  # the service checks and saves

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": self.translated_value("title"),
            "description": self.translated_value("description"),
            "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"),
            "live_results": data.get("live_results", False),
            "electorate": data.get("electorate"),
        }


class QuestionForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"title": {"required": True, "max_length": 300}, "booklet": {"rich": True}}

    class Meta:
        model = Question
        fields = ["kind", "min_choices", "max_choices", "blank_allowed", "majority", "min_in_favour", "quorum_percent"]

    def _post_clean(self):
        pass

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.Meta.fields}
        values["min_choices"] = values["min_choices"] or 1
        values["blank_allowed"] = bool(values["blank_allowed"])
        values["majority"] = bool(values["majority"])
        return {"title": self.translated_value("title"), "booklet": self.translated_value("booklet"), **values}


class OptionForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"label": {"required": True, "max_length": 200}}

    class Meta:
        model = Option
        fields: list[str] = []

    def _post_clean(self):
        pass


class DocumentForm(ErrorSummaryMixin, forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=200)
    file = forms.FileField(label=_("Document (PDF, ODT or DOCX)"))


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        strip=True,
        help_text=_(
            "The 12 letters and digits of the code shown after your vote and sent by e-mail, "
            "for example ABCD-EFGH-JKLM (dashes and spaces optional)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        code = normalize_receipt(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A receipt code has 12 letters and digits, for example ABCD-EFGH-JKLM."), code="format"
            )
        return code


class PaperBallotForm(ErrorSummaryMixin, forms.Form):
    station = forms.CharField(label=_("Polling station or batch"), max_length=100)
    last_name = forms.CharField(label=_("Last name (a ballot with identity)"), max_length=150, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        given = [bool((data.get(name) or "").strip()) for name in ("last_name", "first_name")] + [
            data.get("birth_date") is not None
        ]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("A ballot with identity needs the last name, the first name and the date of birth; or none of them.")
            )
        return data


class StationCountForm(ErrorSummaryMixin, forms.Form):
    """A polling station's box: its ballots and, per option, the votes (one field per option)."""

    station = forms.CharField(label=_("Polling station"), max_length=100)
    ballots = forms.IntegerField(label=_("Ballots in the box"), min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            for option in question.options.all():
                self.fields[f"option_{option.pk}"] = forms.IntegerField(
                    label=f"{translated(question.title)} — {translated(option.label)}",
                    min_value=0,
                    max_value=2**31 - 1,
                    initial=0,
                )

    def votes(self) -> dict[int, int]:
        return {
            int(name.removeprefix("option_")): value or 0
            for name, value in self.cleaned_data.items()
            if name.startswith("option_")
        }


def read_marks(questions: list[Question], data) -> tuple[dict[int, dict[int, int]], list[str]]:
    """The ballot a form posted, as {question id: {option id: value}}: `q<id>` holds the
    option chosen (one answer) or options (several); `q<id>_o<option id>` the place
    given to an option in a ranking. Anything that is not an option of the question is
    a problem, never a 500."""
    marks: dict[int, dict[int, int]] = {}
    problems: list[str] = []
    for question in questions:
        options = {option.pk for option in question.options.all()}
        chosen: dict[int, int] = {}
        if question.kind == Question.Kind.RANKED:
            for option_id in options:
                raw = (data.get(f"q{question.pk}_o{option_id}") or "").strip()
                if not raw:
                    continue
                if not raw.isdigit() or not (1 <= int(raw) <= len(options)):
                    problems.append(str(_("A place in a ranking is a number from 1 to the number of options.")))
                    continue
                chosen[option_id] = int(raw)
        else:
            for raw in data.getlist(f"q{question.pk}"):
                if not str(raw).isdigit() or int(raw) not in options:
                    problems.append(str(_("An answer is not an option of its question.")))
                    continue
                chosen[int(raw)] = 1
        if chosen:
            marks[question.pk] = chosen
    return marks, problems
