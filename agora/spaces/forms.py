"""Back-office forms for spaces, process groups, phases and members."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agora.accounts.forms import PersonField, PersonFormMixin
from agora.core.forms import LANGUAGE_NAMES, ErrorSummaryMixin, TranslatedFieldsMixin, check_image_size
from agora.spaces.copying import reference_date
from agora.spaces.models import AssemblyMember, Phase, ProcessGroup, Space
from agora.taxonomy.models import Category, Scope

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SpaceForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": {"required": True, "max_length": 200},
        "subtitle": {"max_length": 300},
        "short_description": {"long": True, "max_length": 1000},
        "description": {"rich": True},
        "hero_image_alt": {"help_text": _("Describe the image for people who cannot see it (required with an image).")},
        "purpose": {"rich": True},
        "composition": {"rich": True},
    }
    PROCESS_ONLY = ("group",)
    ASSEMBLY_ONLY = ("transparent", "parent", "purpose", "composition")

    class Meta:
        model = Space
        fields = [
            "slug",
            "hero_image",
            "start_date",
            "end_date",
            "scope",
            "categories",
            "scopes",
            "group",
            "promoted",
            "private",
            "transparent",
            "parent",
            "weight",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "categories": forms.CheckboxSelectMultiple,
            "scopes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "slug": _("The end of the page address: lowercase letters, digits and hyphens."),
            "transparent": _("A private and transparent assembly can be read by everyone; only its members take part."),
        }

    def __init__(self, *args, kind, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)
        organization = self.organization
        hidden = self.ASSEMBLY_ONLY if kind == Space.Kind.PROCESS else self.PROCESS_ONLY
        for name in list(self.fields):
            if name in hidden or name.split("__")[0] in hidden:
                del self.fields[name]
        self.fields["scope"].queryset = Scope.objects.filter(organization=organization)
        self.fields["scopes"].queryset = Scope.objects.filter(organization=organization)
        self.fields["categories"].queryset = Category.objects.filter(organization=organization)
        if "group" in self.fields:
            self.fields["group"].queryset = ProcessGroup.objects.filter(organization=organization)
        if "parent" in self.fields:
            parents = Space.objects.filter(organization=organization, kind=Space.Kind.ASSEMBLY)
            if self.instance.pk:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents

    def clean_hero_image(self):
        return check_image_size(self.cleaned_data.get("hero_image"))

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = Space.objects.filter(organization=self.organization, kind=self.kind, slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Another space of this kind already uses this address."))
        return slug


class ProcessGroupForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"title": {"required": True, "max_length": 200}, "description": {"rich": True}}

    class Meta:
        model = ProcessGroup
        fields: list = []


def _check_link(value):
    value = (value or "").strip()
    if value and not value.startswith(("/", "https://", "http://")):
        raise ValidationError(_("Enter an address starting with https:// or a path of this site starting with /."))
    if value.startswith("//"):
        raise ValidationError(_("Enter an address starting with https:// or a path of this site starting with /."))
    return value


class PhaseForm(ErrorSummaryMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": {"required": True, "max_length": 200},
        "description": {"rich": True},
        "cta_text": {"max_length": 100, "help_text": _("For example “Submit an idea”. Shown as a button.")},
    }

    class Meta:
        model = Phase
        fields = ["start_date", "end_date", "cta_url"]
        widgets = {"start_date": DATE, "end_date": DATE}
        help_texts = {"cta_url": _("Where the button leads: https://… or a path of this site such as /processes/…")}

    def clean_cta_url(self):
        return _check_link(self.cleaned_data.get("cta_url"))


class AssemblyMemberForm(ErrorSummaryMixin, PersonFormMixin, forms.ModelForm):
    person = PersonField(required=False, help_text=_("Either a participant with an account…"))

    class Meta:
        model = AssemblyMember
        fields = ["full_name", "position", "weight"]
        help_texts = {
            "full_name": _("…or the name of a person without an account."),
            "weight": _("Members are listed from the smallest number to the largest."),
        }

    def __init__(self, *args, organization, **kwargs):
        self.organization = organization
        super().__init__(*args, **kwargs)
        self.order_fields(["person", "full_name", "position", "weight"])
        if self.instance.pk:
            del self.fields["person"]
            if self.instance.user_id:
                del self.fields["full_name"]

    def clean(self):
        cleaned = super().clean()
        if "person" in self.fields and not cleaned.get("person") and not (cleaned.get("full_name") or "").strip():
            if not self.has_error("person"):
                raise ValidationError(
                    _("Enter a participant's nickname or e-mail, or the name of a person without an account.")
                )
        return cleaned

    def _post_clean(self):
        # The services check the named-member constraint; the form only validates its fields.
        pass


class SpaceMemberForm(ErrorSummaryMixin, PersonFormMixin, forms.Form):
    person = PersonField()

    def __init__(self, *args, organization, **kwargs):
        self.organization = organization
        super().__init__(*args, **kwargs)


def _next_year(text: str) -> str:
    """ "Budget participatif 2026" -> "Budget participatif 2027"."""
    return re.sub(r"\b(19|20)(\d{2})\b", lambda match: str(int(match.group(0)) + 1), text or "")


class CopySpaceForm(ErrorSummaryMixin, forms.Form):
    """The next edition of a space: its title, its address and when it starts."""

    slug = forms.SlugField(
        label=_("Address (slug)"),
        max_length=80,
        help_text=_("The end of the page address: lowercase letters, digits and hyphens."),
    )
    new_start = forms.DateField(
        label=_("First day of the new edition"),
        required=False,
        widget=DATE,
        help_text=_(
            "Every date of the space and of its phases moves by the same number of days. "
            "Empty: the dates stay as they are."
        ),
    )
    copy_roles = forms.BooleanField(
        label=_("Keep the same staff (space admins, collaborators, moderators, evaluators)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, space, **kwargs):
        self.space = space
        self.organization = space.organization
        super().__init__(*args, **kwargs)
        titles = {}
        for position, code in enumerate(self.organization.languages):
            name = f"title__{code}"
            titles[name] = forms.CharField(
                label=_("Title of the copy (%(language)s)") % {"language": LANGUAGE_NAMES[code]},
                required=position == 0,
                max_length=200,
                initial=_next_year((space.title or {}).get(code, "")),
            )
        self.fields = {**titles, **self.fields}
        next_slug = _next_year(space.slug)
        self.fields["slug"].initial = next_slug if next_slug != space.slug else f"{space.slug}-2"
        start = reference_date(space)
        if start is not None:
            try:
                self.fields["new_start"].initial = start.replace(year=start.year + 1)
            except ValueError:  # 29 February
                self.fields["new_start"].initial = start.replace(year=start.year + 1, day=28)
        else:
            del self.fields["new_start"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Space.objects.filter(organization=self.organization, kind=self.space.kind, slug=slug).exists():
            raise ValidationError(_("Another space of this kind already uses this address."))
        return slug

    def title(self) -> dict:
        return {
            code: text
            for code in self.organization.languages
            if (text := (self.cleaned_data.get(f"title__{code}") or "").strip())
        }
