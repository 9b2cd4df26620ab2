"""Back-office forms for categories, scope types and scopes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.core.forms import ErrorSummaryMixin, TranslatedFieldsMixin
from agora.taxonomy.models import Category, Scope, ScopeType


class CategoryForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": {"required": True, "max_length": 200}, "description": {"rich": True}}

    class Meta:
        model = Category
        fields = ["parent", "weight"]
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
