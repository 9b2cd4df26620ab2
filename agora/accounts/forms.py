from django import forms
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Fields added to allauth's signup form (allauth calls `signup`)."""

    name = forms.CharField(label=_("Name"), max_length=150)

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])
