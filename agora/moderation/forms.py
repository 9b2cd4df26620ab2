from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.forms import ErrorSummaryMixin
from agora.moderation.models import ModerationSettings, Report


class ReportForm(ErrorSummaryMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report this content?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What should the moderators know? At most 1,000 characters."),
    )


class BlockForm(ErrorSummaryMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the person"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sent by e-mail: say why the account is blocked and how to contact the organization."),
    )


class SettingsForm(ErrorSummaryMixin, forms.ModelForm):
    class Meta:
        model = ModerationSettings
        fields = ["hide_after_reports"]
        widgets = {"hide_after_reports": forms.NumberInput(attrs={"min": 0, "max": 1000})}

    def clean_hide_after_reports(self):
        value = self.cleaned_data["hide_after_reports"]
        if value > 1000:
            raise forms.ValidationError(_("Enter a number between 0 and 1,000."))
        return value
