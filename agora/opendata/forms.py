from django import forms
from django.utils.translation import gettext_lazy as _

from agora.opendata.models import Licence


class LicenceForm(forms.Form):
    licence = forms.ChoiceField(
        label=_("Licence of the open data"),
        choices=Licence.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The Licence Ouverte 2.0 lets anyone reuse the data, even commercially, by naming its source; "
            "the ODbL also asks that databases built from it be shared under the same licence."
        ),
    )
