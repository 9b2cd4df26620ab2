from typing import cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from agora.comments.models import Comment


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), strip=True)
    alignment = forms.TypedChoiceField(
        label=_("Your position"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("No position"))] + [(str(v), label) for v, label in Comment.Alignment.choices],
        widget=forms.RadioSelect,
    )
    official = forms.BooleanField(label=_("Official answer of the organization"), required=False)

    def __init__(self, *args, max_length: int, alignment: bool = False, official: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.CharField, self.fields["body"]).max_length = max_length
        self.fields["body"].widget.attrs["maxlength"] = max_length
        self.fields["body"].validators.append(MaxLengthValidator(max_length))
        self.fields["body"].help_text = _(
            "At most %(limit)s characters. Write @ and a nickname to mention someone."
        ) % {"limit": max_length}
        if not alignment:
            del self.fields["alignment"]
        if not official:
            del self.fields["official"]


class EditForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), strip=True)
