from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.forms import ErrorSummaryMixin
from agora.statistics.kinds import CHANNELS
from agora.statistics.models import ReferencePopulation

MAX_UPLOAD = 2 * 1024 * 1024


class ReferenceForm(ErrorSummaryMixin, forms.Form):
    """One number per district, age bracket and gender (empty: no figure)."""

    def __init__(self, *args, values: dict[str, dict[str, str]], stored: dict[tuple[str, str], int], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for dimension, label in ReferencePopulation.Dimension.choices:
            names = []
            for value, value_label in values[dimension].items():
                name = f"{dimension}__{value}"
                self.fields[name] = forms.IntegerField(
                    label=value_label, required=False, min_value=0, max_value=100_000_000
                )
                self.fields[name].initial = stored.get((dimension, value))
                names.append(name)
            self.groups.append((label, [self[name] for name in names]))

    def figures(self) -> dict[tuple[str, str], int | None]:
        result = {}
        for name, number in self.cleaned_data.items():
            dimension, value = name.split("__", 1)
            result[(dimension, value)] = number
        return result


class ReferenceImportForm(ErrorSummaryMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns dimension (district, age_bracket or gender), value (the district's code, "
            "or the code of the age bracket or gender shown beside each field) and population."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large (2 MB at most)."))
        return upload


class SettingsForm(ErrorSummaryMixin, forms.Form):
    public_figures = forms.BooleanField(
        label=_("Show participation figures to the public"),
        required=False,
        help_text=_(
            "Participants and contributions on the home page's “Participation figures” block and on each "
            "space's page. Nothing about people is shown, only totals."
        ),
    )


def channel_choice(raw: str | None) -> str:
    return raw if raw in CHANNELS else ""
