from django import forms
from django.utils.translation import gettext_lazy as _

from agora.api import selectors


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for: “Project tracking sync”.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Rights"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the token may do, besides reading public data (which needs no token)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = selectors.scopes()
