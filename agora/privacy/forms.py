from django import forms

from agora.privacy.models import PrivacySettings


class PrivacySettingsForm(forms.ModelForm):
    class Meta:
        model = PrivacySettings
        fields = ["inactive_days", "verification_retention_days"]
