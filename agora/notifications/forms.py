from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.notifications import events
from agora.notifications.models import Preference


class PreferencesForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("E-mails"),
        choices=Preference.Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Unless you choose no e-mail, what is about you (a reply to your comment, a mention, the "
            "answer to your idea, a private message) is e-mailed at once; the rest waits for your digest."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Notify me of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unticked events are neither shown on the site nor sent by e-mail."),
    )

    def __init__(self, *args, preference: Preference, **kwargs):
        super().__init__(*args, **kwargs)
        mutable = [event for event in events.all_events() if event.mutable]
        cast(forms.MultipleChoiceField, self.fields["events"]).choices = [
            (event.name, event.label) for event in mutable
        ]
        self.fields["email_frequency"].initial = preference.email_frequency
        self.fields["events"].initial = [
            event.name for event in mutable if event.name not in (preference.muted_events or ())
        ]

    def muted_events(self) -> list[str]:
        chosen = set(self.cleaned_data["events"])
        choices: Any = cast(forms.MultipleChoiceField, self.fields["events"]).choices
        return [name for name, _label in choices if name not in chosen]
