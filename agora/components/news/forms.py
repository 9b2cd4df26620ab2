from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agora.components.news.models import Post
from agora.core.forms import TranslatedFieldsMixin, check_image_size


class PostForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": {"required": True, "max_length": 200},
        "body": {"rich": True},
        "image_alt": {"max_length": 300, "help_text": _("Say what the image shows, for people who cannot see it.")},
    }
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    published_at = forms.DateTimeField(
        label=_("Publication date"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Leave empty to keep the post as a draft. A date in the future schedules it: the post stays hidden until then."
        ),
    )

    class Meta:
        model = Post
        fields = ["official", "image", "published_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["title__" + c for c in self.organization.languages]
            + ["body__" + c for c in self.organization.languages]
            + ["image"]
            + ["image_alt__" + c for c in self.organization.languages]
            + ["official", "published_at"]
        )

    def clean_image(self):
        return check_image_size(self.cleaned_data.get("image"))

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("image")
        has_image = bool(image) if image is not False else False
        alt_given = any((cleaned.get(f"image_alt__{code}") or "").strip() for code in self.organization.languages)
        if has_image and not alt_given and "image" not in self.errors:
            first = f"image_alt__{self.organization.languages[0]}"
            self.add_error(first, _("Describe the image for people who cannot see it."))
        return cleaned

    def image_change(self):
        """None: keep the current image; False: remove it; a file: replace it."""
        image = self.cleaned_data.get("image")
        if image is False:
            return False
        return image if isinstance(image, UploadedFile) else None
