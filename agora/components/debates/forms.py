from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.components.debates import services
from agora.components.debates.models import Debate, DebateUpdate
from agora.core.forms import TranslatedFieldsMixin
from agora.core.translations import translated
from agora.taxonomy.models import Category, Scope

DATE_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class TaxonomyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = translated(obj.name)
        return f"— {name}" if getattr(obj, "parent_id", None) else name


def _taxonomy_fields(form, organization, *, filters: bool = False) -> None:
    """The category and scope fields: "All" in the list's filters (agreeing with
    each noun in French), "None" in the forms."""
    form.fields["category"] = TaxonomyChoice(
        Category.objects.filter(organization=organization).order_by("weight", "id"),
        required=False,
        label=_("Category"),
        empty_label=pgettext_lazy("every category", "All") if filters else pgettext_lazy("no category", "None"),
    )
    form.fields["scope"] = TaxonomyChoice(
        Scope.objects.filter(organization=organization).order_by("code"),
        required=False,
        label=_("Scope"),
        empty_label=pgettext_lazy("every scope", "All") if filters else pgettext_lazy("no scope", "None"),
    )


class FilterForm(forms.Form):
    """The filters of the public list; anything unknown is ignored."""

    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", pgettext_lazy("every state", "All")), *Debate.State.choices]
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        _taxonomy_fields(self, organization, filters=True)

    def values(self) -> dict:
        if not self.is_valid():
            return {"state": "", "category_id": None, "scope_id": None}
        data = self.cleaned_data
        return {
            "state": data["state"],
            "category_id": data["category"].pk if data["category"] else None,
            "scope_id": data["scope"].pk if data["scope"] else None,
        }


class DebateForm(forms.Form):
    """A participant opens a debate: plain text."""

    title = forms.CharField(
        label=_("Title"), max_length=services.TITLE_MAX, help_text=_("A question or a subject, in a few words.")
    )
    description = forms.CharField(
        label=_("What is the debate about?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=services.DESCRIPTION_MIN,
        max_length=services.DESCRIPTION_MAX,
        help_text=_("Give the context and the question you ask. Between %(min)s and %(max)s characters.")
        % {"min": services.DESCRIPTION_MIN, "max": services.DESCRIPTION_MAX},
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        _taxonomy_fields(self, organization)


class AuthorCloseForm(forms.Form):
    conclusions = forms.CharField(
        label=_("Conclusions"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=services.DESCRIPTION_MAX,
        help_text=_("What came out of the debate. Once closed, it takes no new comment."),
    )


class OfficialDebateForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": {"required": True, "max_length": 200},
        "description": {"rich": True, "required": True},
        "instructions": {
            "rich": True,
            "help_text": _(
                "How to take part: what kind of arguments are expected, "
                "how long the debate lasts, what the city will do with it."
            ),
        },
    }
    starts_at = forms.DateTimeField(
        label=_("Start"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to open the debate at once. Before this date it is shown as upcoming."),
    )
    ends_at = forms.DateTimeField(
        label=_("End"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for no end date. After it, comments are closed; conclusions can still be written."),
    )

    class Meta:
        model = Debate
        fields = ["category", "scope", "starts_at", "ends_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _taxonomy_fields(self, self.organization)

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned

    def _post_clean(self):
        # The services validate and write; the form does not run the model's checks on a half-built instance.
        pass

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": self.translated_value("title"),
            "description": self.translated_value("description"),
            "instructions": self.translated_value("instructions"),
            "category": data.get("category"),
            "scope": data.get("scope"),
            "starts_at": data.get("starts_at"),
            "ends_at": data.get("ends_at"),
        }


class ConclusionsForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"conclusions": {"rich": True, "required": True}}

    class Meta:
        model = Debate
        fields: list[str] = []

    def _post_clean(self):
        pass


class InformationForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"body": {"rich": True, "required": True}}

    class Meta:
        model = DebateUpdate
        fields: list[str] = []

    def _post_clean(self):
        pass
