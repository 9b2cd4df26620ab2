from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora.components.meetings import services
from agora.components.meetings.models import AgendaItem, Meeting, MeetingPhoto
from agora.components.models import Component
from agora.components.proposals import api as proposals_api
from agora.core.forms import SearchableSelectMultiple, TranslatedFieldsMixin, check_image_size
from agora.core.geocoding import address_widget_attrs
from agora.core.sanitize import html_to_plain_text, plain_text_to_html
from agora.core.translations import translated
from agora.spaces.models import Space
from agora.taxonomy.models import Category, Scope

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
TIME_ZONES = (
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Zurich",
    "Europe/London",
    "Europe/Lisbon",
    "America/Toronto",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "UTC",
)


def time_zone_choices() -> list[tuple[str, str]]:
    zones = list(TIME_ZONES)
    if settings.TIME_ZONE not in zones:
        zones.insert(0, settings.TIME_ZONE)
    return [(zone, zone.replace("_", " ")) for zone in zones]


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, naive: the form turns it into an instant in
    the meeting's own time zone (services.local_to_utc), not the server's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        for pattern in LOCAL_FORMATS:
            try:
                return datetime.strptime(str(value).strip(), pattern)
            except ValueError:
                continue
        raise ValidationError(_("Enter a date and a time."), code="invalid")


class TaxonomyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = translated(obj.name)
        return f"— {name}" if getattr(obj, "parent_id", None) else name


def _taxonomy_fields(form, organization, *, filters: bool = False) -> None:
    form.fields["category"] = TaxonomyChoice(
        Category.objects.filter(organization=organization).order_by("weight", "id"),
        required=False,
        label=_("Category"),
        empty_label=pgettext_lazy("every category", "All") if filters else pgettext_lazy("no category", "None"),
    )
    form.fields["scope"] = TaxonomyChoice(
        Scope.objects.filter(organization=organization).order_by("code"),
        required=False,
        label=_("District"),
        empty_label=pgettext_lazy("every scope", "All") if filters else pgettext_lazy("no scope", "None"),
    )


WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past")), ("all", pgettext_lazy("every meeting", "All"))]


class FilterForm(forms.Form):
    """The filters of a component's list; anything unknown is ignored."""

    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN_CHOICES)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", pgettext_lazy("every type", "All")), *Meeting.Kind.choices]
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        _taxonomy_fields(self, organization, filters=True)

    def values(self) -> dict:
        if not self.is_valid():
            return {"when": "upcoming"}
        data = self.cleaned_data
        when = data.get("when") or "upcoming"
        return {
            "when": "" if when == "all" else when,
            "kind": data.get("kind") or "",
            "category_id": data["category"].pk if data.get("category") else None,
            "scope_id": data["scope"].pk if data.get("scope") else None,
        }

    @property
    def filtered(self) -> bool:
        return (
            self.is_bound
            and any(self.data.get(name) for name in ("kind", "category", "scope"))
            or (self.is_bound and self.data.get("when") not in (None, "", "upcoming"))
        )


class AgendaFilterForm(FilterForm):
    """The global agenda's filters: the list's, a space and a date range."""

    space = forms.ModelChoiceField(queryset=Space.objects.none(), required=False, label=_("Space"))
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, organization, spaces, **kwargs):
        super().__init__(*args, organization=organization, **kwargs)
        self.fields["space"].queryset = spaces
        self.fields["space"].empty_label = pgettext_lazy("every space", "All")
        self.fields["space"].label_from_instance = lambda space: translated(space.title)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must come after its start."))
        return cleaned

    def values(self) -> dict:
        values = super().values()
        if not self.is_valid():
            return values
        data = self.cleaned_data
        values["space_id"] = data["space"].pk if data.get("space") else None
        values["start"], values["end"] = data.get("start"), data.get("end")
        if values["start"] or values["end"]:
            values["when"] = "" if self.data.get("when") not in ("upcoming", "past") else values["when"]
        return values


class MeetingForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": {"required": True, "max_length": 200},
        "description": {"rich": True, "required": True},
        "location": {"max_length": 200, "help_text": _("The building and the room: “Town hall, council room”.")},
        "location_hints": {"rich": True, "help_text": _("Entrance, floor, public transport, parking.")},
        "image_alt": {"max_length": 300, "help_text": _("Say what the image shows, for people who cannot see it.")},
        "registration_terms": {
            "rich": True,
            "help_text": _("People accept them to register (leave empty for none)."),
        },
    }
    starts_at = LocalDateTimeField(label=_("Start"), help_text=_("In the time zone below."))
    ends_at = LocalDateTimeField(label=_("End"))
    registrations_close_at = LocalDateTimeField(
        label=_("Registrations close on"),
        required=False,
        help_text=_("Leave empty to close them when the meeting starts."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        required=False,
        choices=Meeting.Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "visibility",
            "address",
            "latitude",
            "longitude",
            "online_url",
            "time_zone",
            "category",
            "scope",
            "organizer_group",
            "services",
            "registration_type",
            "registration_url",
            "places",
            "reserved_places",
            "proposals",
            "linked_components",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _taxonomy_fields(self, self.organization)
        meeting = self.instance
        if meeting.pk is not None and not self.is_bound:
            self.initial["starts_at"] = meeting.local_start.replace(tzinfo=None)
            self.initial["ends_at"] = meeting.local_end.replace(tzinfo=None)
            if meeting.registrations_close_at:
                self.initial["registrations_close_at"] = meeting.local(meeting.registrations_close_at).replace(
                    tzinfo=None
                )
        self.fields["time_zone"].initial = meeting.time_zone or settings.TIME_ZONE
        space = meeting.component.space if meeting.component_id else None
        ideas = proposals_api.filed_ideas(space=space).order_by("id") if space else Meeting.objects.none()
        self.fields["proposals"].queryset = ideas
        self.fields["proposals"].required = False
        self.fields["proposals"].widget = SearchableSelectMultiple()
        self.fields["proposals"].choices = [(p.pk, f"{p.reference or p.pk} — {p.title}") for p in ideas]
        linked = self.fields["linked_components"]
        linked.widget = forms.CheckboxSelectMultiple()  # before the queryset, which gives it its choices
        linked.queryset = (
            Component.objects.filter(space=space).exclude(pk=meeting.component_id).order_by("weight", "pk")
            if space
            else Component.objects.none()
        )
        linked.required = False
        linked.label_from_instance = lambda component: translated(component.name) or str(component.pk)
        linked.help_text = _("The survey, the debate or the vote the meeting is about: their pages are linked.")
        self.fields["address"].widget.attrs.update(address_widget_attrs("id_latitude", "id_longitude"))
        self.fields["reserved_places"].help_text = _("Kept for the organization: not offered to registration.")
        self.fields["places"].help_text = _("Leave empty for no limit.")

    def clean_image(self):
        return check_image_size(self.cleaned_data.get("image"))

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone") or settings.TIME_ZONE
        for name in ("starts_at", "ends_at", "registrations_close_at"):
            value = cleaned.get(name)
            if value is None:
                continue
            try:
                cleaned[name] = services.local_to_utc(value, zone)
            except ValidationError as error:
                self.add_error(name, error)
                cleaned.pop(name, None)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned

    def _post_clean(self):
        # The instance is built here; its rules are the service's (check_meeting), with their messages.
        if not hasattr(self, "cleaned_data"):
            return
        self.instance = construct_instance(
            self, self.instance, self._meta.fields, ["proposals", "linked_components", "image"]
        )
        for name in ("starts_at", "ends_at", "registrations_close_at"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        for name in self.translated_fields:
            setattr(self.instance, name, self.translated_value(name))

    def image_change(self):
        image = self.cleaned_data.get("image")
        if image is False:
            return False
        return image if image else None


class ParticipantMeetingForm(forms.Form):
    """A participant organizes a meeting (or changes theirs): plain text in the
    language of the page, times in the site's time zone, public, registration
    none or on this site."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What is the meeting about?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=15,
        max_length=5000,
        help_text=_("Who is it for, what will be discussed, what to bring."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Meeting.Kind.choices, widget=forms.RadioSelect)
    address = forms.CharField(
        label=_("Address"), max_length=300, required=False, help_text=_("For a meeting in person or both.")
    )
    location = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("The building and the room: “Town hall, council room”."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For a meeting online or both."),
    )
    starts_at = LocalDateTimeField(label=_("Start"))
    ends_at = LocalDateTimeField(label=_("End"))
    registration_type = forms.ChoiceField(
        label=_("Registration"),
        choices=[
            (value, label)
            for value, label in Meeting.Registration.choices
            if value in services.PARTICIPANT_REGISTRATIONS
        ],
        widget=forms.RadioSelect,
        initial=Meeting.Registration.NONE,
    )
    places = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=100_000, required=False, help_text=_("Leave empty for no limit.")
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        _taxonomy_fields(self, organization)
        self.fields["address"].widget.attrs.update({"autocomplete": "street-address"})

    def clean(self):
        cleaned = super().clean()
        zone = settings.TIME_ZONE
        for name in ("starts_at", "ends_at"):
            value = cleaned.get(name)
            if value is None:
                continue
            try:
                cleaned[name] = services.local_to_utc(value, zone)
            except ValidationError as error:
                self.add_error(name, error)
                cleaned.pop(name, None)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned

    @staticmethod
    def initial_of(meeting: Meeting) -> dict:
        return {
            "title": translated(meeting.title),
            "description": html_to_plain_text(translated(meeting.description)),
            "kind": meeting.kind,
            "address": meeting.address,
            "location": translated(meeting.location),
            "online_url": meeting.online_url,
            "starts_at": meeting.local_start.replace(tzinfo=None),
            "ends_at": meeting.local_end.replace(tzinfo=None),
            "registration_type": meeting.registration_type,
            "places": meeting.places,
            "category": meeting.category_id,
            "scope": meeting.scope_id,
        }

    def fill(self, meeting: Meeting, language: str) -> Meeting:
        """The meeting with what was typed (in `language`, the other languages kept)."""
        data = self.cleaned_data
        meeting.title = {**(meeting.title or {}), language: data["title"].strip()}
        meeting.description = {**(meeting.description or {}), language: plain_text_to_html(data["description"].strip())}
        meeting.location = {**(meeting.location or {}), language: data["location"].strip()} if data["location"] else {}
        for name in (
            "kind",
            "address",
            "online_url",
            "starts_at",
            "ends_at",
            "registration_type",
            "places",
            "category",
            "scope",
        ):
            setattr(meeting, name, data.get(name))
        meeting.address, meeting.online_url = (meeting.address or "").strip(), meeting.online_url or ""
        meeting.time_zone = settings.TIME_ZONE
        if meeting.registration_type != Meeting.Registration.AGORA:
            meeting.places = None
        return meeting


class AgendaItemForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"title": {"required": True, "max_length": 200}, "description": {"rich": True}}

    class Meta:
        model = AgendaItem
        fields = ["parent", "duration"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        parents = AgendaItem.objects.filter(meeting_id=item.meeting_id, parent__isnull=True)
        if item.pk:
            parents = parents.exclude(pk=item.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False
        self.fields["parent"].label_from_instance = lambda obj: translated(obj.title)
        self.fields["parent"].empty_label = _("None: a main item")

    def _post_clean(self):
        if not hasattr(self, "cleaned_data"):
            return
        self.instance = construct_instance(self, self.instance, self._meta.fields)
        for name in self.translated_fields:
            setattr(self.instance, name, self.translated_value(name))


class CancelForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"cancel_reason": {"rich": True, "required": True}}

    class Meta:
        model = Meeting
        fields: list[str] = []

    def _post_clean(self):
        pass


class CloseForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"minutes": {"rich": True, "required": True}}

    class Meta:
        model = Meeting
        fields = ["attendee_count", "contributions_count", "organizations_present", "video_url", "audio_url"]

    def _post_clean(self):
        pass

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "minutes": self.translated_value("minutes"),
            "attendee_count": data.get("attendee_count"),
            "contributions_count": data.get("contributions_count"),
            "organizations_present": data.get("organizations_present") or "",
            "video_url": data.get("video_url") or "",
            "audio_url": data.get("audio_url") or "",
        }


class IdeaForm(forms.Form):
    """An idea given at the meeting, as the resident said or wrote it."""

    component = forms.ModelChoiceField(queryset=proposals_api.Proposal.objects.none(), label=_("Ideas component"))
    author_name = forms.CharField(
        label=_("Name of the resident"), max_length=150, help_text=_("As on the form, or leave empty."), required=False
    )
    title = forms.CharField(label=_("Title of the idea"), max_length=150)
    body = forms.CharField(label=_("The idea"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        components = proposals_api.ideas_components(space=space)
        self.fields["component"].queryset = components
        self.fields["component"].label_from_instance = lambda component: str(component)
        if len(components) == 1:
            self.fields["component"].initial = components[0].pk


class PhotoForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "alt": {
            "required": True,
            "max_length": 300,
            "help_text": _("Say what the photo shows, for people who cannot see it."),
        }
    }
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG, GIF or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    class Meta:
        model = MeetingPhoto
        fields: list[str] = []

    def clean_image(self):
        return check_image_size(self.cleaned_data.get("image"))

    def _post_clean(self):
        pass


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line (or separated by commas). People without an account create one from the link."),
    )

    def addresses(self) -> list[str]:
        return [part for line in self.cleaned_data["emails"].splitlines() for part in line.split(",")]


class AttendanceForm(forms.Form):
    code = forms.CharField(
        label=_("Code of the registration"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}),
    )


class RegisterForm(forms.Form):
    accepted_terms = forms.BooleanField(label=_("I accept the registration terms"), required=False)
