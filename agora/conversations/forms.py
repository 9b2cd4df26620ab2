import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.accounts.models import User
from agora.conversations.models import MESSAGE_MAX_LENGTH, MessagingPreference, max_participants
from agora.core.forms import ErrorSummaryMixin


class MessageForm(ErrorSummaryMixin, forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )


class StartForm(MessageForm):
    field_order = ["to", "body"]

    to = forms.CharField(
        label=gettext_lazy("To"),
        max_length=400,
        help_text=gettext_lazy("Nicknames of the people, separated by spaces or commas (a small group at most)."),
    )

    def __init__(self, *args, organization, **kwargs):
        self.organization = organization
        super().__init__(*args, **kwargs)

    def clean_to(self):
        nicknames = [name.lstrip("@") for name in re.split(r"[\s,;]+", self.cleaned_data["to"]) if name.strip("@ ")]
        if not nicknames:
            raise forms.ValidationError(_("Give at least one nickname."))
        if len(set(n.lower() for n in nicknames)) >= max_participants():
            raise forms.ValidationError(
                _("A conversation has at most %(count)d participants.") % {"count": max_participants()}
            )
        people = []
        for nickname in nicknames:
            person = User.objects.filter(
                nickname__iexact=nickname,
                deleted_at__isnull=True,
                is_active=True,
                memberships__organization=self.organization,
            ).first()
            if person is None:
                raise forms.ValidationError(_("Nobody here has the nickname %(nickname)s.") % {"nickname": nickname})
            people.append(person)
        return people


class PreferencesForm(ErrorSummaryMixin, forms.Form):
    accept_from = forms.ChoiceField(
        label=gettext_lazy("Who can start a conversation with me"),
        choices=MessagingPreference.AcceptFrom.choices,
        widget=forms.RadioSelect,
    )
