"""Forms of the public side: the idea form (built from the component's
settings and custom fields) and the filters of the list."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agora import permissions
from agora.components.proposals import selectors
from agora.components.proposals.component import ORDERS
from agora.components.proposals.models import CustomField, Proposal
from agora.components.proposals.uploads import KIND_LABELS, check_attachment, detect
from agora.core import geocoding
from agora.core.translations import translated

# Pictures an idea form offers at once (each with its description), within attachments_max_count.
PICTURE_FIELDS = 3


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class ErrorsLinkedMixin:
    """Widgets point at their error and help text (aria-describedby, aria-invalid)."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"id_{self.add_prefix(name)}_helptext")
            if name in self.errors:
                described.append(f"id_{self.add_prefix(name)}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class ProposalForm(ErrorsLinkedMixin, forms.Form):
    title = forms.CharField(label=_("Title"))
    body = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, component, user, instance: Proposal | None = None, **kwargs):
        self.component, self.user, self.instance = component, user, instance
        initial = kwargs.pop("initial", {}) or {}
        if instance is not None:
            initial = {
                "title": instance.title,
                "body": instance.body,
                "category": instance.category_id,
                "scope": instance.scope_id,
                "address": instance.address,
                "latitude": instance.latitude,
                "longitude": instance.longitude,
                **{f"custom_{key}": value for key, value in (instance.custom_values or {}).items()},
                **initial,
            }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        title_max = component.settings_of().title_max_length
        body_max = component.settings_of().body_max_length
        self.body_max = body_max
        cast(forms.CharField, self.fields["title"]).max_length = title_max
        self.fields["title"].widget.attrs["maxlength"] = str(title_max)
        self.fields["title"].validators.append(MaxLengthValidator(title_max))
        self.fields["title"].help_text = _(
            "A short sentence that says what you propose (%(limit)s characters at most)."
        ) % {"limit": title_max}
        self.fields["body"].help_text = _("%(limit)s characters at most.") % {"limit": body_max}
        self.fields["body"].widget.attrs.update({"data-counter-max": str(body_max)})
        for name, offered, label in (
            ("category", selectors.offered_categories, _("Category")),
            ("scope", selectors.offered_scopes, _("Scope")),
        ):
            mode = component.settings_of()[f"{name}_mode"]
            items = offered(component)
            if mode == "off" or not items:
                continue
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                required=mode == "required",
                coerce=int,
                empty_value=None,
                choices=[("", _("— Choose —"))] + [(item.pk, str(item)) for item in items],
            )
        geolocation = component.settings_of().geolocation_mode
        if geolocation != "off":
            self.fields["address"] = forms.CharField(
                label=_("Address or place"),
                max_length=300,
                required=geolocation == "required",
                help_text=_("Where is it? You may also place a pin on the map, or type the coordinates."),
                widget=forms.TextInput(
                    attrs=geocoding.address_widget_attrs(
                        f"id_{self.add_prefix('latitude')}", f"id_{self.add_prefix('longitude')}"
                    )
                ),
            )
            self.fields["latitude"] = forms.DecimalField(
                label=_("Latitude"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
            )
            self.fields["longitude"] = forms.DecimalField(
                label=_("Longitude"), required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
            )
        self.picture_count = 0
        self.described: list = []  # the idea's pictures, whose descriptions can be changed
        if component.settings_of().attachments_enabled:
            self._attachment_fields(component, instance)
        for field in selectors.custom_fields(component):
            self.fields[f"custom_{field.key}"] = self._custom_field(field)
        if (
            (instance is None or instance.official)
            and component.settings_of().official_ideas_enabled
            and permissions.can(user, "component.manage", component)
        ):
            self.fields["official"] = forms.BooleanField(
                label=_("Official idea of the organization"),
                required=False,
                initial=bool(instance and instance.official),
                disabled=instance is not None,
                help_text=_("Published in the name of the organization, not in yours."),
            )

    def _attachment_fields(self, component, instance) -> None:
        """Documents in one multiple field; pictures one by one, each with the
        description people who cannot see it read (required with a picture)."""
        kinds = selectors.allowed_attachment_kinds(component)
        documents = [kind for kind in kinds if kind != "image"]
        size = component.settings_of().attachment_max_mb
        count = component.settings_of().attachments_max_count
        if documents:
            self.fields["attachments"] = MultipleFileField(
                label=_("Documents") if "image" in kinds else _("Attachments"),
                required=False,
                help_text=_("Accepted: %(types)s; %(size)s MB at most each, %(count)s files at most.")
                % {"types": ", ".join(KIND_LABELS[k] for k in documents), "size": size, "count": count},
            )
        if "image" in kinds:
            self.picture_count = min(PICTURE_FIELDS, count)
            for number in range(1, self.picture_count + 1):
                self.fields[f"picture_{number}"] = forms.FileField(
                    label=_("Picture %(number)s") % {"number": number},
                    required=False,
                    widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                    help_text=_(
                        "JPEG, PNG or WebP, %(size)s MB at most. The position and the other data your "
                        "camera recorded in the file are removed."
                    )
                    % {"size": size},
                )
                self.fields[f"picture_{number}_alt"] = forms.CharField(
                    label=_("Description of picture %(number)s") % {"number": number},
                    required=False,
                    max_length=300,
                    help_text=_("What the picture shows, for people who cannot see it. Required with a picture."),
                )
        if instance is not None and instance.pk:
            existing = list(instance.attachments.all())
            if existing:
                self.fields["remove_attachments"] = forms.TypedMultipleChoiceField(
                    label=_("Remove attachments"),
                    required=False,
                    coerce=int,
                    choices=[(a.pk, a.title) for a in existing],
                    widget=forms.CheckboxSelectMultiple,
                )
            for attachment in existing:
                if attachment.is_image:
                    self.described.append(attachment)
                    self.fields[f"alt_{attachment.pk}"] = forms.CharField(
                        label=_("Description of the picture “%(title)s”") % {"title": attachment.title},
                        max_length=300,
                        required=True,
                        initial=attachment.alt_text,
                        help_text=_("What the picture shows, for people who cannot see it."),
                    )

    def picture_fields(self) -> list:
        """(picture, description) bound fields, for the template."""
        return [(self[f"picture_{n}"], self[f"picture_{n}_alt"]) for n in range(1, self.picture_count + 1)]

    def description_fields(self) -> list:
        return [self[f"alt_{attachment.pk}"] for attachment in self.described]

    @staticmethod
    def _custom_field(field: CustomField):
        label = translated(field.label) or field.key
        help_text = translated(field.help_text)
        if field.confidential:
            note = _("Confidential: only you and the organization's staff will see this answer.")
            help_text = f"{help_text} {note}".strip()
        common: dict[str, Any] = {"label": label, "required": field.required, "help_text": help_text}
        if field.kind == CustomField.Kind.CHECKBOX:
            return forms.BooleanField(**common)
        if field.kind == CustomField.Kind.CHOICE:
            choices = [("", _("— Choose —"))] + [
                (c.get("value"), translated(c.get("label")) or c.get("value")) for c in field.choices
            ]
            return forms.ChoiceField(choices=choices, **common)
        if field.kind == CustomField.Kind.NUMBER:
            return forms.DecimalField(**common)
        return forms.CharField(max_length=2000, **common)

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        kinds = [kind for kind in selectors.allowed_attachment_kinds(self.component) if kind != "image"]
        max_bytes = self.component.settings_of().attachment_max_mb * 1024 * 1024
        errors = []
        for upload in uploads:
            found = detect(upload)
            if found is not None and found.kind == "image" and self.picture_count:
                errors.append(
                    _("“%(name)s” is a picture: add it with a “Picture” field below, with its description.")
                    % {"name": upload.name}
                )
                continue
            try:
                check_attachment(upload, allowed_kinds=kinds, max_bytes=max_bytes)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads

    def _clean_pictures(self) -> None:
        max_bytes = self.component.settings_of().attachment_max_mb * 1024 * 1024
        for number in range(1, self.picture_count + 1):
            upload = self.cleaned_data.get(f"picture_{number}")
            description = (self.cleaned_data.get(f"picture_{number}_alt") or "").strip()
            if upload:
                try:
                    check_attachment(upload, allowed_kinds=["image"], max_bytes=max_bytes)
                except ValidationError as error:
                    self.add_error(f"picture_{number}", error.messages)
                    continue
                if not description:
                    self.add_error(f"picture_{number}_alt", _("Describe this picture for people who cannot see it."))
            elif description:
                self.add_error(f"picture_{number}", _("Choose the picture this description is for."))

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if body and len(body.strip()) > self.body_max:
            self.add_error(
                "body",
                _("The description has %(count)s characters; the limit is %(limit)s.")
                % {"count": len(body.strip()), "limit": self.body_max},
            )
        self._clean_pictures()
        return cleaned

    def locate(self, organization) -> str:
        """An address without coordinates is looked up (agora.core.geocoding):
        found, its position is kept; not found, the idea is saved without
        one and the message says so (returned, empty when nothing to say)."""
        data = self.cleaned_data
        address = (data.get("address") or "").strip()
        if not address or data.get("latitude") is not None or data.get("longitude") is not None:
            return ""
        place, message = geocoding.locate(address, organization)
        if place is not None:
            data["latitude"], data["longitude"] = place.latitude, place.longitude
        return message

    def custom_values(self) -> dict:
        values = {}
        for field in selectors.custom_fields(self.component):
            value = self.cleaned_data.get(f"custom_{field.key}")
            if field.kind == CustomField.Kind.NUMBER and value is not None:
                value = float(value)
            values[field.key] = value
        return values

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        categories: dict[Any, Any] = {c.pk: c for c in selectors.offered_categories(self.component)}
        scopes: dict[Any, Any] = {s.pk: s for s in selectors.offered_scopes(self.component)}
        uploads: list[tuple] = [(upload, upload.name) for upload in data.get("attachments") or []]
        for number in range(1, self.picture_count + 1):
            if data.get(f"picture_{number}"):
                upload = data[f"picture_{number}"]
                uploads.append((upload, upload.name, data.get(f"picture_{number}_alt") or ""))
        return {
            "title": data["title"],
            "body": data["body"],
            "category": categories.get(data.get("category")),
            "scope": scopes.get(data.get("scope")),
            "address": data.get("address", ""),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "custom_values": self.custom_values(),
            "attachments": uploads,
        }

    def picture_descriptions(self) -> dict:
        """{attachment id: description} of the idea's pictures, as typed."""
        return {attachment.pk: self.cleaned_data.get(f"alt_{attachment.pk}") or "" for attachment in self.described}

    def add_service_errors(self, error) -> None:
        """Errors of the services (ValidationError with a dict) shown on the fields."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    scope = forms.TypedChoiceField(label=_("Scope"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False)
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("published", _("Ideas in progress")), ("withdrawn", _("Withdrawn ideas")), ("all", _("All ideas"))],
    )
    mine = forms.BooleanField(label=_("My ideas"), required=False)
    supported = forms.BooleanField(label=_("Ideas I support"), required=False)
    official = forms.BooleanField(label=_("Official ideas"), required=False)
    order = forms.ChoiceField(label=_("Order"), required=False)

    def __init__(self, *args, component, user, **kwargs):
        super().__init__(*args, **kwargs)

        # The categories, scopes and states, read together (one query when the memo is cold).
        categories, scopes, states = selectors.filter_terms(component)
        # "All" agrees with the field's noun in French: "Catégorie : Toutes", "État : Tous".
        self.fields["category"].choices = [("", pgettext_lazy("every category", "All"))] + [
            (c.pk, str(c)) for c in categories
        ]
        self.fields["scope"].choices = [("", pgettext_lazy("every scope", "All"))] + [(s.pk, str(s)) for s in scopes]
        self.fields["state"].choices = [("", pgettext_lazy("every state", "All")), ("none", _("Not answered yet"))] + [
            (str(s.pk), str(s)) for s in states
        ]
        self.fields["order"].choices = [
            (value, label)
            for value, label in ORDERS
            if value != "most_supported" or selectors.supports_mode(component) != "hidden"
        ]
        self.fields["order"].initial = component.settings_of().default_order
        if component.settings_of().category_mode == "off" or not categories:
            del self.fields["category"]
        if component.settings_of().scope_mode == "off" or not scopes:
            del self.fields["scope"]
        if not user.is_authenticated:
            del self.fields["mine"], self.fields["supported"]

    def fast_fields(self):
        return fast_filter_fields(self)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"order": self.fields["order"].initial}
        values = dict(self.cleaned_data)
        if values.get("state") not in (None, "", "none"):
            values["state"] = int(values["state"])
        return values


class _FastField:
    """One field of the filter form as its template shows it: `html` is the
    label and the widget, `checkbox` says which comes first."""

    __slots__ = ("checkbox", "html")

    def __init__(self, checkbox: bool, html: str):
        self.checkbox, self.html = checkbox, mark_safe(html)


def fast_filter_fields(form: FilterForm) -> list[_FastField]:
    """The filter form's fields rendered in Python, the same HTML as Django's
    widget templates (a test compares both): the form templates cost about
    4 ms a list page, this a tenth of it. Only the widgets of FilterForm are
    handled (text input, select, checkbox)."""
    errors = form.errors if form.is_bound else {}
    suffix = str(form.label_suffix if form.label_suffix is not None else "")
    shown = []
    for name, field in form.fields.items():
        auto_id = f"id_{form.add_prefix(name)}"
        label = conditional_escape(f"{field.label}{suffix}")
        attrs = dict(field.widget.attrs)
        if name in errors:
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{auto_id}_error"
        attrs["id"] = auto_id
        raw = (
            field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
            if form.is_bound
            else form.get_initial_for_field(field, name)
        )
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            if widget.check_test(raw):
                attrs["checked"] = True
            html = f'<input type="checkbox" name="{name}"{_attrs(attrs)}> <label for="{auto_id}">{label}</label>'
            shown.append(_FastField(True, html))
            continue
        if isinstance(widget, forms.Select):
            selected, found = widget.format_value(raw), False
            options = []
            choices: Any = cast(forms.ChoiceField, field).choices
            for value, text in choices:
                value = "" if value is None else str(value)
                mark = " selected" if not found and value in selected else ""  # the first match only, as Django
                found = found or bool(mark)
                options.append(
                    f'\n  <option value="{conditional_escape(value)}"{mark}>{conditional_escape(text)}</option>\n'
                )
            widget_html = f'<select name="{name}"{_attrs(attrs)}>{"".join(options)}\n</select>'
        else:
            value = widget.format_value(raw)
            shown_value = f' value="{conditional_escape(value)}"' if value is not None else ""
            widget_html = f'<input type="{widget.input_type}" name="{name}"{shown_value}{_attrs(attrs)}>'
        shown.append(_FastField(False, f'<label for="{auto_id}">{label}</label> {widget_html}'))
    return shown


def _attrs(attrs: dict) -> str:
    return "".join(
        "" if value is False else f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
    )
