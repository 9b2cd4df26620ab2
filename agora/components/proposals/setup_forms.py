from django import forms
from django.utils.translation import gettext_lazy as _

from agora.components.proposals.models import MapLayer
from agora.core.forms import TranslatedFieldsMixin


class OfferedTaxonomyForm(forms.Form):
    categories = forms.TypedMultipleChoiceField(
        label=_("Categories offered"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all the categories of the space are offered."),
    )
    scopes = forms.TypedMultipleChoiceField(
        label=_("Scopes offered"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all the scopes of the space are offered."),
    )

    def __init__(self, *args, categories, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c.pk, f"— {c}" if c.parent_id else str(c)) for c in categories]
        self.fields["scopes"].choices = [(s.pk, str(s)) for s in scopes]


class MapLayerForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": {"required": True, "max_length": 200}}
    file = forms.FileField(label=_("KML file"), help_text=_("Districts, cantons ... exported as KML (5 MB at most)."))

    class Meta:
        model = MapLayer
        fields: list = []
