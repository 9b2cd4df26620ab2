from django import forms
from django.utils.translation import gettext_lazy as _

from agora.components.opinions.models import STATEMENT_MAX, Conversation


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX}),
        help_text=_("One idea, in at most 280 characters, that others can agree or disagree with."),
    )


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(
        coerce=int, choices=[("1", _("Agree")), ("-1", _("Disagree")), ("0", _("Pass / unsure"))]
    )


class ConversationForm(forms.ModelForm):
    """The question and its presentation (per language)."""

    class Meta:
        model = Conversation
        fields: list[str] = []

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        for code in organization.languages:
            self.fields[f"question_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": code},
                max_length=300,
                required=code == organization.default_language,
                initial=(self.instance.question or {}).get(code, "") if self.instance.pk else "",
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Presentation (%(language)s)") % {"language": code},
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                initial=(self.instance.description or {}).get(code, "") if self.instance.pk else "",
            )

    def _post_clean(self):
        pass

    def values(self) -> dict:
        data = self.cleaned_data
        codes = self.organization.languages
        return {
            "question": {code: data.get(f"question_{code}", "") for code in codes},
            "description": {code: data.get(f"description_{code}", "") for code in codes},
        }


class ImportForm(forms.Form):
    comments = forms.FileField(label=_("comments.csv (Polis export)"))
    votes = forms.FileField(label=_("participants-votes.csv (Polis export)"))
