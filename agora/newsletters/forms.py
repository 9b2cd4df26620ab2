from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agora.accounts.models import User
from agora.core import formats
from agora.core.forms import SearchableSelectMultiple, TranslatedFieldsMixin, check_image_size
from agora.core.translations import translated
from agora.newsletters import upcoming
from agora.newsletters.models import Block, Newsletter
from agora.spaces.models import Space
from agora.taxonomy.models import Scope
from agora.verifications import methods as methods_registry
from agora.verifications.models import EnabledMethod

LABELLED = (Block.Kind.BUTTON, Block.Kind.SPACES, Block.Kind.UPCOMING)  # blocks whose text is a label


class NewsletterForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"subject": {"required": True, "max_length": 200}}

    class Meta:
        model = Newsletter
        fields: list[str] = []


class BlockForm(TranslatedFieldsMixin, forms.ModelForm):
    """One form for every kind of block; the services check what each kind needs."""

    translated_fields = {
        "text": {"rich": True},
        "image_alt": {"max_length": 300, "help_text": _("Say what the image shows, for people who cannot see it.")},
    }
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    spaces = forms.ModelMultipleChoiceField(
        label=_("Open processes to list"),
        queryset=Space.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )

    items = forms.MultipleChoiceField(
        label=_("Upcoming events to announce"),
        required=False,
        widget=SearchableSelectMultiple,
        help_text=_("Meetings, debates and other events of public spaces that start on a date still to come."),
    )

    class Meta:
        model = Block
        fields = ["kind", "url"]
        help_texts = {"url": _("The button's link, or where the image leads (optional): https://… or /…")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spaces"].queryset = Space.objects.filter(organization=self.organization).readable_by_anyone()
        self.fields["spaces"].label_from_instance = lambda space: translated(space.title)
        labelled = self.instance.pk and self.instance.kind in LABELLED
        for position, (code, name) in enumerate(self.organization.language_choices):
            self.fields[f"label__{code}"] = forms.CharField(
                label=_("Button label or heading of the list (%(language)s)") % {"language": name},
                required=False,
                max_length=120,
                help_text=_(
                    "For a button, its words (“Vote now”); for a list of processes or of upcoming events, an optional heading."
                )
                if position == 0
                else "",
            )
            if labelled:
                self.fields[f"label__{code}"].initial = (self.instance.text or {}).get(code, "")
                self.fields[f"text__{code}"].initial = ""
        offered = [
            (item.key, f"{translated(item.title)} — {formats.short_datetime(item.starts_at)}")
            for item in upcoming.choices(self.organization)
        ]
        kept = [(item["key"], translated(item.get("title"))) for item in (self.instance.items or [])]
        self.fields["items"].choices = offered + [pair for pair in kept if pair[0] not in dict(offered)]
        if self.instance.pk:
            self.fields["spaces"].initial = list(self.instance.spaces.all())
            self.fields["items"].initial = [item["key"] for item in self.instance.items or []]
        self.order_fields(
            ["kind"]
            + ["text__" + code for code in self.organization.languages]
            + ["label__" + code for code in self.organization.languages]
            + ["url", "image"]
            + ["image_alt__" + code for code in self.organization.languages]
            + ["spaces", "items"]
        )

    def clean_image(self):
        return check_image_size(self.cleaned_data.get("image"))

    def image_change(self):
        """None: keep the current image; False: remove it; a file: replace it."""
        image = self.cleaned_data.get("image")
        if image is False:
            return False
        return image if isinstance(image, UploadedFile) else None

    def text_value(self) -> dict:
        kind = self.cleaned_data.get("kind")
        if kind in LABELLED:
            labels = {
                code: (self.cleaned_data.get(f"label__{code}") or "").strip() for code in self.organization.languages
            }
            return {code: label for code, label in labels.items() if label}
        return self.translated_value("text")


def _choices(model_choices) -> list:
    return list(model_choices.choices)


class AudienceForm(forms.Form):
    """The newsletter's audience: groups (any of them; none: everyone who
    accepted the newsletter) narrowed by filters (all of them)."""

    spaces_participants = forms.ModelMultipleChoiceField(
        label=_("Participants of these spaces"),
        help_text=_("People who filed or supported an idea, voted, answered a survey, opened a debate or commented."),
        queryset=Space.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )
    spaces_followers = forms.ModelMultipleChoiceField(
        label=_("Followers of these spaces"),
        queryset=Space.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )
    private_members = forms.ModelMultipleChoiceField(
        label=_("Members of these private spaces"),
        queryset=Space.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )
    verification_method = forms.ChoiceField(label=_("Verified by"), required=False)
    scopes = forms.ModelMultipleChoiceField(
        label=_("Verified as living in these districts"),
        queryset=Scope.objects.none(),
        required=False,
        widget=SearchableSelectMultiple,
    )
    age_brackets = forms.MultipleChoiceField(
        label=_("Age brackets"), choices=_choices(User.AgeBracket), required=False, widget=forms.CheckboxSelectMultiple
    )
    genders = forms.MultipleChoiceField(
        label=_("Genders"), choices=_choices(User.Gender), required=False, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.MultipleChoiceField(
        label=_("Socio-professional categories"),
        choices=_choices(User.SocioProfessionalCategory),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    postal_codes = forms.CharField(
        label=_("Postal codes"), required=False, max_length=500, help_text=_("Separated by commas or spaces.")
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        spaces = Space.objects.filter(organization=organization).order_by("-published_at", "pk")
        for name in ("spaces_participants", "spaces_followers"):
            self.fields[name].queryset = spaces
        self.fields["private_members"].queryset = spaces.filter(private=True)
        for name in ("spaces_participants", "spaces_followers", "private_members", "scopes"):
            self.fields[name].label_from_instance = lambda item: translated(getattr(item, "title", None) or item.name)
        self.fields["scopes"].queryset = Scope.objects.filter(organization=organization)
        methods = EnabledMethod.objects.filter(organization=organization).values_list("method", flat=True)
        self.fields["verification_method"].choices = [("", _("Any, or not verified"))] + [
            (name, methods_registry.get(name).label if methods_registry.get(name) else name) for name in methods
        ]

    @staticmethod
    def initial_from(audience: dict) -> dict:
        initial = dict(audience)
        initial["postal_codes"] = ", ".join(audience.get("postal_codes", []))
        return initial

    def audience(self) -> dict:
        data = self.cleaned_data
        return {
            "spaces_participants": [space.pk for space in data["spaces_participants"]],
            "spaces_followers": [space.pk for space in data["spaces_followers"]],
            "private_members": [space.pk for space in data["private_members"]],
            "verification_method": data["verification_method"],
            "scopes": [scope.pk for scope in data["scopes"]],
            "age_brackets": data["age_brackets"],
            "genders": data["genders"],
            "categories": data["categories"],
            "postal_codes": data["postal_codes"].replace(",", " ").split(),
        }


class SendForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Send on"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to send now; a date in the future schedules the sending."),
    )
