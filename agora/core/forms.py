"""Form helpers shared by the back-office and the components."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agora.core.richtext import html_to_markdown, markdown_to_html
from agora.core.validators import validate_image

LANGUAGE_NAMES = dict(settings.LANGUAGES)


MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, “## ” before a heading, “- ” or “1. ” before the items of a list, "
    "[text of the link](https://…), a blank line between two paragraphs."
)


class MarkdownTextarea(forms.Textarea):
    """A textarea for Markdown: with JavaScript, a formatting toolbar (usable
    with the keyboard: arrow keys, Ctrl+B, Ctrl+I, Ctrl+K) and a preview drawn
    by the server (the same rendering as on save); without it, the textarea."""

    template_name = "core/widgets/markdown.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 10, "data-markdown": "", **(attrs or {})})


class SearchableSelectMultiple(forms.SelectMultiple):
    """A list of many items to choose several from (ideas linked to a project
    or a result ...). With JavaScript: a search box (an ARIA combobox with a
    multi-select listbox, usable with the keyboard) and the chosen items as
    removable buttons; the <select multiple> stays the form's field, hidden.
    Without JavaScript: the <select multiple>, with the hint to hold Ctrl."""

    template_name = "core/widgets/searchable_select.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__({"size": 8, "data-searchable": "", **(attrs or {})}, choices)


class TranslatedFieldsMixin:
    """Expands translated model fields into one labelled form field per
    language of the organization ("Title (French)", "Title (English)").

        class SpaceForm(TranslatedFieldsMixin, forms.ModelForm):
            translated_fields = {"title": {"required": True}, "description": {"rich": True}}

    Pass `organization=` to the form. The first language (the organization's
    default) is required when the field is; rich fields are written in
    Markdown (a textarea with a toolbar and a preview, agora.core.richtext)
    and saved as HTML sanitized with nh3."""

    translated_fields: dict[str, dict] = {}

    def __init__(self, *args, organization, **kwargs):
        self.organization = organization
        super().__init__(*args, **kwargs)
        for name, options in self.translated_fields.items():
            model_field = self._meta.model._meta.get_field(name)
            current = getattr(self.instance, name, None) or {}
            for position, code in enumerate(organization.languages):
                field_name = f"{name}__{code}"
                required = options.get("required", False) and position == 0
                label = f"{model_field.verbose_name.capitalize()} ({LANGUAGE_NAMES[code]})"
                if options.get("rich"):
                    field = forms.CharField(
                        label=label,
                        required=required,
                        widget=MarkdownTextarea(),
                        max_length=options.get("max_length"),
                        help_text=MARKDOWN_HELP,
                    )
                elif options.get("long"):
                    field = forms.CharField(
                        label=label,
                        required=required,
                        widget=forms.Textarea(attrs={"rows": 8}),
                        max_length=options.get("max_length"),
                    )
                else:
                    field = forms.CharField(label=label, required=required, max_length=options.get("max_length", 300))
                if options.get("help_text") and position == 0:
                    field.help_text = options["help_text"]
                # Rich text is stored as HTML and edited as Markdown.
                field.initial = (
                    html_to_markdown(current.get(code, "")) if options.get("rich") else current.get(code, "")
                )
                self.fields[field_name] = field

    def translated_value(self, name: str) -> dict:
        options = self.translated_fields[name]
        value = {}
        cleaned_data: dict = getattr(self, "cleaned_data")  # the form's, once valid
        for code in self.organization.languages:
            text = (cleaned_data.get(f"{name}__{code}") or "").strip()
            if text:
                value[code] = markdown_to_html(text) if options.get("rich") else text
        return value

    def _post_clean(self):
        super()._post_clean()
        if hasattr(self, "cleaned_data"):
            for name in self.translated_fields:
                setattr(self.instance, name, self.translated_value(name))


class HelpTextEscapingBoundField(BoundField):
    """Django's form templates print help texts unescaped (and Agora's
    field template prints them through the same BoundField): a help text is escaped
    here, once, unless it is already safe markup built by code (format_html,
    escape). Officers type help texts (custom fields of ideas, evaluation
    criteria), so they are plain text wherever a form shows them."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.help_text = conditional_escape(self.help_text)

    def css_classes(self, extra_classes=None):
        # A locked field (lock_fields) looks locked, not merely grey.
        classes = super().css_classes(extra_classes)
        return f"{classes} locked-field".strip() if self.field.disabled else classes


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: every form of the project, Agora's, allauth's
    and Django's, gets bound fields whose help text is escaped."""

    bound_field_class = HelpTextEscapingBoundField
    # Django's, minus the form's errors when a summary above says them (a refusal reads once).
    form_template_name = "core/forms/div.html"


def lock_fields(form, names, reason) -> None:
    """Fields that can no longer change (the vote has started ...): shown
    disabled, "(locked)" in their label and the reason as their help text;
    what is posted for them is ignored (Django keeps the stored value), so
    saving the rest of the form never meets a refusal."""
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        field.disabled = True
        field.label = format_lazy("{} ({})", field.label, _("locked"))
        field.help_text = format_lazy("{} {}", reason, field.help_text) if field.help_text else reason


def contrast_ratio(hex_a: str, hex_b: str) -> float:
    """WCAG contrast ratio between two #RRGGBB colours."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(hex_a), luminance(hex_b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(background: str, *, unreadable: str) -> str:
    """Black or white (#000000, #ffffff), whichever reads better on `background`
    (#RRGGBB); `unreadable` for a value that is not such a colour."""
    try:
        on_black = contrast_ratio(background, "#000000")
        on_white = contrast_ratio(background, "#ffffff")
    except (ValueError, TypeError, IndexError):
        return unreadable
    return "#000000" if on_black >= on_white else "#ffffff"


# --- the form kit of every screen (public and back-office) ---------------------------


def model_values(form) -> dict:
    """The values a valid ModelForm would save, as a dict for a service:
    plain fields, many-to-many lists, new or cleared files (unchanged files
    are left out) and translated fields."""
    values: dict[str, Any] = {}
    for name in form._meta.fields or ():
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        model_field = form._meta.model._meta.get_field(name)
        if model_field.get_internal_type() in ("FileField", "ImageField"):
            if value is False:
                values[name] = ""
            elif value and not isinstance(value, FieldFile):
                values[name] = value
            continue
        values[name] = list(value) if model_field.many_to_many else value
    for name in getattr(form, "translated_fields", {}):
        if any(field_name.startswith(f"{name}__") for field_name in form.fields):
            values[name] = form.translated_value(name)
    return values


def check_image_size(image):
    """A newly uploaded image is checked by content, format and size."""
    if isinstance(image, UploadedFile):
        validate_image(image)
    return image


class ErrorSummaryMixin:
    """Labels of the fields in error, for the summary at the top of the form."""

    def error_summary(self):
        items = [(None, error) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field = self.fields.get(name)
            items.extend((self[name] if field else None, error) for error in errors)
        return items
