from django import forms
from django.utils.translation import gettext_lazy as _

from agora.components.surveys.models import Survey
from agora.core.forms import TranslatedFieldsMixin

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class SurveyForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "introduction": {"rich": True},
        "terms": {"rich": True, "help_text": _("Leave empty when people have nothing to accept.")},
    }
    opens_at = forms.DateTimeField(
        label=_("Opens on"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty: open as soon as the phase opens answers."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes on"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty: open until the phase closes answers."),
    )

    class Meta:
        model = Survey
        fields = ["opens_at", "closes_at"]


class PublishForm(forms.Form):
    questions = forms.MultipleChoiceField(
        label=_("Questions whose results are public"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].choices = choices


class PaperForm(forms.Form):
    reference = forms.CharField(
        label=_("Batch or place the paper form comes from"),
        max_length=100,
        help_text=_("For instance “Town hall, box 3” or “Market, 12 May”."),
    )
