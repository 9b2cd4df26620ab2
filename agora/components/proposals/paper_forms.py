"""Back-office forms for ideas residents gave on paper, at a desk or at a
meeting: one idea typed in (the idea form, plus the channel and the
resident), or a file of them."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agora.accounts.selectors import people_of
from agora.components.proposals.forms import ProposalForm
from agora.components.proposals.models import Proposal
from agora.components.proposals.paper_import import MAX_BYTES

STAFF_CHANNELS = [(value, label) for value, label in Proposal.Channel.choices if value != Proposal.Channel.ONLINE]


class PaperIdeaForm(ProposalForm):
    """The component's idea form (its settings and custom fields), without files or
    the "official" choice, with how the idea came and who gave it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [
            name
            for name in self.fields
            if name == "official"
            or name == "attachments"
            or name.startswith("picture_")
            or name == "remove_attachments"
        ]:
            del self.fields[name]
        self.picture_count = 0
        self.fields["channel"] = forms.ChoiceField(
            label=_("How the idea came"), choices=STAFF_CHANNELS, initial=Proposal.Channel.PAPER
        )
        self.fields["author_name"] = forms.CharField(
            label=_("Resident's name (shown publicly)"),
            max_length=150,
            required=False,
            help_text=_("As written on the form, for example a first name and an initial."),
        )
        self.fields["author_email"] = forms.EmailField(
            label=_("E-mail of the resident's account (optional)"),
            required=False,
            help_text=_(
                "If the resident has an account here, the idea is theirs and they get the usual "
                "confirmation e-mail; no name is needed then."
            ),
        )
        self.fields["title"].help_text = _("%(limit)s characters at most.") % {"limit": self.fields["title"].max_length}
        self.order_fields(["channel", "author_name", "author_email", "title", "body"])
        self.author = None

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("author_email")
        if email:
            self.author = people_of(self.component.space.organization).filter(email__iexact=email).first()
            if self.author is None:
                self.add_error("author_email", _("No participant of this organization has this e-mail address."))
        elif not (cleaned.get("author_name") or "").strip():
            self.add_error(
                "author_name", _("Give the resident's name as written on the form, or the e-mail of their account.")
            )
        return cleaned

    def entry_kwargs(self) -> dict:
        kwargs = self.service_kwargs()
        kwargs.pop("attachments", None)
        return {
            **kwargs,
            "channel": self.cleaned_data["channel"],
            "author": self.author,
            "author_name": "" if self.author else self.cleaned_data.get("author_name", ""),
        }


class IdeaFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file of ideas"),
        help_text=_(
            "One line per idea, the first line naming the columns. CSV in UTF-8 (commas or semicolons) "
            "or an Excel/LibreOffice .xlsx file (first sheet). Nothing is created before you confirm."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB: split it."))
        return upload
