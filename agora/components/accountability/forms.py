from django import forms
from django.utils.translation import gettext_lazy as _

from agora.components.accountability import budgets_api
from agora.components.accountability.models import Milestone, MilestonePhoto, Result, Status
from agora.components.proposals import api as proposals_api
from agora.core.forms import SearchableSelectMultiple, TranslatedFieldsMixin, check_image_size, lock_fields
from agora.core.translations import translated
from agora.taxonomy.models import Category, Scope

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class _LabelledChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return translated(obj.name) if hasattr(obj, "name") else str(obj)


class ResultForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": {"required": True, "max_length": 200},
        "description": {"rich": True},
    }
    parent = forms.ModelChoiceField(
        queryset=Result.objects.none(),
        required=False,
        label=_("Parent result"),
        help_text=_("Make it a sub-result of another result."),
    )
    status = _LabelledChoice(queryset=Status.objects.none(), required=False, label=_("Status"))
    progress = forms.DecimalField(
        label=_("Progress (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_(
            "Between 0 and 100. Leave empty to take the status's default progress. "
            "A result with sub-results takes the mean of theirs."
        ),
    )
    category = _LabelledChoice(queryset=Category.objects.none(), required=False, label=_("Category"))
    scope = _LabelledChoice(queryset=Scope.objects.none(), required=False, label=_("District"))
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=6,
        help_text=_("For example 47.9029 (decimal degrees)."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=6,
        help_text=_("For example 1.9093 (decimal degrees)."),
    )
    proposals: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Ideas it comes from"),
        widget=SearchableSelectMultiple(),
    )
    projects: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Budget projects it comes from"),
        widget=SearchableSelectMultiple(),
    )

    class Meta:
        model = Result
        fields = ["reference", "address", "weight"]
        labels = {"reference": _("Reference"), "address": _("Address"), "weight": _("Order")}
        help_texts = {"reference": _("Optional code of the services' own tracking tool (used by the CSV import).")}

    def __init__(self, *args, component, **kwargs):
        self.component = component
        super().__init__(*args, **kwargs)
        organization = component.space.organization
        instance = self.instance
        parents = Result.objects.filter(component=component)
        if instance.pk:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda obj: translated(obj.title)
        self.fields["status"].queryset = Status.objects.filter(component=component)
        self.fields["category"].queryset = Category.objects.filter(organization=organization)
        self.fields["scope"].queryset = Scope.objects.filter(organization=organization)
        self.fields["proposals"].queryset = proposals_api.filed_ideas(space=component.space).order_by("-id")
        self.fields["proposals"].label_from_instance = lambda obj: f"#{obj.pk} {obj.title}"
        self.fields["projects"].queryset = budgets_api.projects_of_space(component.space)
        self.fields["projects"].label_from_instance = lambda obj: translated(obj.title)
        if instance.pk:
            self.initial.update(
                {
                    "parent": instance.parent_id,
                    "status": instance.status_id,
                    "progress": instance.progress,
                    "category": instance.category_id,
                    "scope": instance.scope_id,
                    "start_date": instance.start_date,
                    "end_date": instance.end_date,
                    "latitude": instance.latitude,
                    "longitude": instance.longitude,
                    "proposals": list(instance.proposals.values_list("pk", flat=True)),
                    "projects": list(instance.projects.values_list("pk", flat=True)),
                }
            )
            if instance.children.exists():
                lock_fields(self, ["progress"], _("Computed from the sub-results: the mean of their progress."))
        languages = self.organization.languages
        self.order_fields(
            [f"title__{code}" for code in languages]
            + [f"description__{code}" for code in languages]
            + [
                "status",
                "progress",
                "parent",
                "category",
                "scope",
                "start_date",
                "end_date",
                "address",
                "latitude",
                "longitude",
                "proposals",
                "projects",
                "reference",
                "weight",
            ]
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            if "latitude" not in self.errors and "longitude" not in self.errors:
                self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": self.translated_value("title"),
            "description": self.translated_value("description"),
            "status": data.get("status"),
            "progress": data.get("progress"),
            "parent": data.get("parent"),
            "category": data.get("category"),
            "scope": data.get("scope"),
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "address": data.get("address") or "",
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "proposals": list(data.get("proposals") or []),
            "projects": list(data.get("projects") or []),
            "reference": data.get("reference") or "",
            "weight": data.get("weight") or 0,
        }


class StatusForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": {"required": True, "max_length": 100}, "description": {"long": True}}

    class Meta:
        model = Status
        fields = ["token", "progress", "weight"]
        labels = {"token": _("Code"), "progress": _("Default progress (%)"), "weight": _("Order")}
        help_texts = {"token": _("Short code used in CSV files, for example travaux-en-cours.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        languages = self.organization.languages
        self.order_fields(
            [f"name__{code}" for code in languages]
            + ["token", "progress"]
            + [f"description__{code}" for code in languages]
            + ["weight"]
        )

    def clean_progress(self):
        value = self.cleaned_data.get("progress")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("The progress must be a number between 0 and 100."))
        return value


class MilestoneForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"title": {"required": True, "max_length": 200}, "description": {"rich": True}}
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)

    class Meta:
        model = Milestone
        fields = ["date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = self.organization.languages
        self.order_fields(
            ["date"] + [f"title__{code}" for code in languages] + [f"description__{code}" for code in languages]
        )


class PhotoForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "alt": {"max_length": 300, "help_text": _("Say what the photo shows, for people who cannot see it.")},
    }
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG, GIF or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    class Meta:
        model = MilestonePhoto
        fields = ["image"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["image"]

    def clean_image(self):
        return check_image_size(self.cleaned_data.get("image"))

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f"alt__{code}") or "").strip() for code in self.organization.languages):
            self.add_error(
                f"alt__{self.organization.languages[0]}", _("Describe the photo for people who cannot see it.")
            )
        return cleaned


class BulkStatusForm(forms.Form):
    results = forms.ModelMultipleChoiceField(
        queryset=Result.objects.none(), label=_("Results"), widget=forms.CheckboxSelectMultiple
    )
    status = _LabelledChoice(queryset=Status.objects.none(), label=_("New status"))

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results"].queryset = Result.objects.filter(component=component)
        self.fields["status"].queryset = Status.objects.filter(component=component)


class ImportForm(forms.Form):
    source: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Import from"))
    status = _LabelledChoice(queryset=Status.objects.none(), required=False, label=_("Status of the new results"))

    def __init__(self, *args, component, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].label_from_instance = lambda obj: f"{obj.space} — {obj}"
        self.fields["status"].queryset = Status.objects.filter(component=component)


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma or semicolon separated, first line with the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
