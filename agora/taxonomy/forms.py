"""Back-office forms for categories, scope types and scopes."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agora.core.forms import ErrorSummaryMixin, TranslatedFieldsMixin, check_image_size
from agora.taxonomy.models import Category, Scope, ScopeType


class CategoryForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "name": {"required": True, "max_length": 200},
        "description": {"rich": True},
        "image_alt": {"max_length": 300, "help_text": _("Say what the image shows, for people who cannot see it.")},
    }
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_(
            "JPEG, PNG, GIF or WebP. Shown on the cards of ideas, projects and results of this category "
            "that have no image of their own; without it, a built-in illustration."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    class Meta:
        model = Category
        fields = ["parent", "weight", "image"]
        help_texts = {
            "parent": _("Leave empty for a main category. Sub-categories cannot have sub-categories."),
            "weight": _("Categories are listed from the smallest number to the largest."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Category.objects.filter(organization=self.organization, parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        languages = self.organization.languages
        self.order_fields(
            ["name__" + c for c in languages]
            + ["description__" + c for c in languages]
            + ["parent", "weight", "image"]
            + ["image_alt__" + c for c in languages]
        )

    def clean_image(self):
        return check_image_size(self.cleaned_data.get("image"))

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("image")
        has_image = image is not False and (isinstance(image, UploadedFile) or bool(self.instance.image))
        alt_given = any((cleaned.get(f"image_alt__{code}") or "").strip() for code in self.organization.languages)
        if has_image and not alt_given and "image" not in self.errors:
            self.add_error(
                f"image_alt__{self.organization.languages[0]}", _("Describe the image for people who cannot see it.")
            )
        return cleaned

    def image_change(self):
        """None: keep the current image; False: remove it; a file: replace it."""
        image = self.cleaned_data.get("image")
        if image is False:
            return False
        return image if isinstance(image, UploadedFile) else None


class ScopeTypeForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": {"required": True, "max_length": 100}, "plural": {"required": True, "max_length": 100}}

    class Meta:
        model = ScopeType
        fields: list = []


class ScopeForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": {"required": True, "max_length": 200}}

    class Meta:
        model = Scope
        fields = ["code", "scope_type", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_type"].queryset = ScopeType.objects.filter(organization=self.organization)
        parents = Scope.objects.filter(organization=self.organization)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class ScopeImportForm(ErrorSummaryMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: code,name_fr,name_en,type,parent_code (comma or semicolon separated, UTF-8). "
            "Scopes are matched by code: importing again updates them."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("This file is too large (at most 5 MB)."))
        return upload
