from django import forms
from django.utils.translation import gettext_lazy as _

from agora.verifications.forms import AddressedIdentityForm


class ManagedParticipantForm(AddressedIdentityForm):
    public_name = forms.CharField(
        label=_("Name shown publicly"),
        max_length=150,
        help_text=_("Shown next to their contributions, for example a first name and an initial."),
    )
    accepted_terms = forms.BooleanField(
        label=_("I read the terms of use to the person and they accept them"), required=True
    )

    field_order = ["last_name", "first_name", "birth_date", "postal_code", "scope", "public_name", "accepted_terms"]


class InPersonCheckForm(AddressedIdentityForm):
    email = forms.EmailField(label=_("E-mail address of the person's account"))


class AgentForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the staff member's account"))


class ClaimForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's e-mail address"),
        help_text=_(
            "A confirmation link is sent there; after confirming, they choose a password with “Forgot your password?”."
        ),
    )


def _reorder(form_class):
    original = form_class.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.order_fields(self.field_order)

    form_class.__init__ = __init__
    return form_class


_reorder(ManagedParticipantForm)
