from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agora.components.budgets.ballot_rules import Problem
from agora.components.budgets.models import Budget, Project, normalize_receipt
from agora.components.budgets.services import COUNTING_FIELDS
from agora.components.budgets.validators import validate_document
from agora.core import geocoding
from agora.core.forms import SearchableSelectMultiple, TranslatedFieldsMixin, check_image_size, lock_fields
from agora.core.numbers import parse_id, parse_int
from agora.core.translations import translated

# The largest value a ballot's choice holds (Choice.value, a PositiveIntegerField on PostgreSQL).
INT_MAX = 2**31 - 1


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        strip=True,
        help_text=_(
            "The 12 letters and digits of the code shown after your vote and sent by e-mail, "
            "for example ABCD-EFGH-JKLM (dashes and spaces optional)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        code = normalize_receipt(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A receipt code has 12 letters and digits, for example ABCD-EFGH-JKLM."), code="format"
            )
        return code


def read_choices(budget, data, project_ids) -> tuple[dict[int, int], list[Problem]]:
    """The ballot a form posted, as {project id: value}. Approval-type
    ballots post "project" checkboxes; points post "points_<id>"; rankings
    post "rank_<id>". Empty fields mean "not chosen"."""
    choices, problems = {}, []
    if budget.rule in (Budget.Rule.POINTS, Budget.Rule.RANKING):
        prefix = "points_" if budget.rule == Budget.Rule.POINTS else "rank_"
        for pk in project_ids:
            raw = (data.get(f"{prefix}{pk}") or "").strip()
            if not raw or raw == "0":
                continue
            value = parse_int(raw, minimum=0, maximum=INT_MAX)
            if value is None:
                problems.append(Problem("bad_value", str(_("Enter whole numbers only."))))
                continue
            choices[pk] = value
    else:
        for raw in data.getlist("project"):
            pk = parse_id(raw)
            if pk is not None and pk in project_ids:
                choices[pk] = 1
            else:
                problems.append(Problem("unknown_project", str(_("This project is not in this budget."))))
    return choices, problems


class BudgetForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"title": {"required": True, "max_length": 200}, "description": {"rich": True}}

    class Meta:
        model = Budget
        fields = [
            "scope",
            "envelope",
            "weight",
            "rule",
            "min_projects",
            "max_projects",
            "min_percent",
            "max_per_category",
            "points_total",
            "points_min",
            "points_max",
            "rank_k",
            "savings_target",
            "method",
            "completion",
            "min_votes",
            "min_votes_percent",
        ]
        widgets = {"rule": forms.RadioSelect, "method": forms.RadioSelect, "completion": forms.RadioSelect}

    def __init__(self, *args, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = self.fields["scope"].queryset.filter(organization=self.organization)
        if locked:  # what counts the ballots cannot change once the vote has started
            lock_fields(self, COUNTING_FIELDS, _("Locked: voting has started."))
        # Left empty: the defaults (1 vote, no share of the ballots).
        self.fields["min_votes"].required = self.fields["min_votes_percent"].required = False
        self.order_fields(
            [f"title__{c}" for c in self.organization.languages]
            + [f"description__{c}" for c in self.organization.languages]
        )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_projects"), cleaned.get("max_projects")
        if low is not None and high is not None and high < low:
            self.add_error("max_projects", _("The maximum must be at least the minimum."))
        low, high = cleaned.get("points_min"), cleaned.get("points_max")
        if low is not None and high is not None and high < low:
            self.add_error("points_max", _("The maximum must be at least the minimum."))
        if (cleaned.get("min_percent") or 0) > 100:
            self.add_error("min_percent", _("Enter a percentage between 0 and 100."))
        if (cleaned.get("min_votes_percent") or 0) > 100:
            self.add_error("min_votes_percent", _("Enter a percentage between 0 and 100."))
        if cleaned.get("min_votes") is None:
            cleaned["min_votes"] = 1
        if cleaned.get("min_votes_percent") is None:
            cleaned["min_votes_percent"] = 0
        if cleaned["min_votes"] < 1:
            self.add_error("min_votes", _("A project needs at least 1 vote to be funded."))
        return cleaned


class ProjectForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": {"required": True, "max_length": 200},
        "description": {"rich": True},
        "image_alt": {"max_length": 300, "help_text": _("Say what the image shows, for people who cannot see it.")},
    }
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    document = forms.FileField(label=_("Add a document"), required=False, help_text=_("PDF, ODT or DOCX."))
    document_title = forms.CharField(label=_("Title of the document"), required=False, max_length=200)

    class Meta:
        model = Project
        fields = ["cost", "category", "scope", "address", "latitude", "longitude", "weight", "proposals"]

    def __init__(self, *args, proposal_queryset=None, cost_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if cost_locked:
            lock_fields(self, ["cost"], _("Locked: voting has started, the cost of a project can no longer change."))
        self.fields["category"].queryset = self.fields["category"].queryset.filter(organization=self.organization)
        self.fields["scope"].queryset = self.fields["scope"].queryset.filter(organization=self.organization)
        if proposal_queryset is not None:
            self.fields["proposals"].queryset = proposal_queryset
        self.fields["proposals"].required = False
        self.fields["proposals"].widget = SearchableSelectMultiple()
        self.fields["proposals"].choices = [
            (p.pk, f"{p.reference or p.pk} — {p.title}") for p in self.fields["proposals"].queryset
        ]
        # "Find on the map" (agora/geocode.js); saving without coordinates looks the address up too.
        self.fields["address"].widget.attrs.update(
            geocoding.address_widget_attrs(f"id_{self.add_prefix('latitude')}", f"id_{self.add_prefix('longitude')}")
        )
        self.fields["address"].help_text = _(
            "The place of the project. Saved without a latitude and longitude, it is looked up on the map."
        )

    def locate(self, organization) -> str:
        """An address without coordinates is looked up (agora.core.geocoding):
        found, the project gets its position; not found, the message to show."""
        project = self.instance
        address = (project.address or "").strip()
        if not address or project.latitude is not None or project.longitude is not None:
            return ""
        place, message = geocoding.locate(address, organization)
        if place is not None:
            project.latitude, project.longitude = place.latitude, place.longitude
        return message

    def clean_image(self):
        return check_image_size(self.cleaned_data.get("image"))

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if isinstance(document, UploadedFile):
            validate_document(document)
        return document

    def image_change(self):
        image = self.cleaned_data.get("image")
        if image is False:
            return False
        return image if isinstance(image, UploadedFile) else None


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class PaperBallotForm(forms.Form):
    reference = forms.CharField(label=_("Batch or polling station"), max_length=100)
    voter_email = forms.EmailField(
        label=_("E-mail of the voter (paper ballot with identity)"),
        required=False,
        help_text=_(
            "Leave empty for an anonymous paper ballot. With an e-mail, the person cannot vote twice, "
            "whatever the channel."
        ),
    )


class PublishForm(forms.Form):
    """Confirmation of a publication. `expected`: the winners shown on the
    confirmation page (written by the page, not typed)."""

    expected = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why are the results published again?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when results are already public. Shown on the public results page and in the public log."
        ),
    )

    def clean_expected(self):
        raw = self.cleaned_data.get("expected") or ""
        ids = [part.strip() for part in raw.split(",") if part.strip()]
        if any(parse_id(pk) is None for pk in ids):
            raise forms.ValidationError(_("Reload the page and check the changes again."))
        return ids


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the results withdrawn?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the budget page and in the public log; the voters and the space's followers are told."),
    )


class _ProjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return translated(obj.title)


class IncompatibilityForm(forms.Form):
    first = _ProjectChoice(label=_("Project"), queryset=Project.objects.none())
    second = _ProjectChoice(label=_("cannot be funded together with"), queryset=Project.objects.none())
    reason = forms.CharField(
        label=_("Reason (public)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the two projects use the same plot."),
    )

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, prefix="incompatible", **kwargs)
        for name in ("first", "second"):
            self.fields[name].queryset = Project.objects.filter(budget=budget)


class OverrideForm(forms.Form):
    project = _ProjectChoice(label=_("Project"), queryset=Project.objects.none())
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=(
            ("fund", _("Funded, whatever its votes (its cost comes off the envelope first)")),
            ("exclude", _("Not funded, whatever its votes")),
        ),
    )
    reason = forms.CharField(
        label=_("Reason (public)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown on the results page and in the public log, as the decision."),
    )

    def __init__(self, *args, budget, **kwargs):
        super().__init__(*args, prefix="override", **kwargs)
        self.fields["project"].queryset = Project.objects.filter(budget=budget)
