"""The home page of an organization: blocks its administrators compose.

The core's home view knows neither spaces nor components. It shows the
organization's `HomeBlock`s in their order (or the default composition when
the organization has none: `default_blocks`), each drawn by its *kind*. Kinds
are registered here by the apps that know what they show, in their
AppConfig.ready (`register_kind`): the core the hero and the free text, the
spaces app the open processes and the highlighted space, the components app
the key figures and each component manifest's `home_blocks` (the news'
latest posts, the budgets' "the vote is open" banner). A new component adds
a block kind in its manifest and touches nothing here.

A kind declares its settings as a `BlockSettings` (the fields of its form in
the back-office, translated texts one field per language of the
organization); what is stored is a JSON object that the services check again
with the same fields (`BlockKind.check`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from agora.core.forms import MARKDOWN_HELP, MarkdownTextarea
from agora.core.richtext import html_to_markdown, markdown_to_html
from agora.core.sanitize import clean_html

LANGUAGE_NAMES = dict(django_settings.LANGUAGES)


# --- block settings ---------------------------------------------------------------------------


class BlockSettings:
    """The settings of a kind of block: `fields(organization)` gives the plain
    form fields (their cleaned values must be JSON: str, int, bool, lists of
    them), `translated` the texts written per language:

        translated = {"title": {"label": _("Title"), "max_length": 200, "required": True},
                      "text": {"label": _("Text"), "rich": True}}

    A rich text is written in Markdown and stored as sanitized HTML
    (agora.core.richtext). `validate(values, organization)` may check the
    whole (raise ValidationError({field: message}))."""

    translated: dict[str, dict] = {}

    def fields(self, organization) -> dict[str, forms.Field]:
        return {}

    def validate(self, values: dict, organization) -> None:
        """Checks across fields of the cleaned settings."""

    # --- the machinery: form fields, initial values, settings ------------------------------

    def form_fields(self, organization) -> dict[str, forms.Field]:
        result = dict(self.fields(organization))
        for name, options in self.translated.items():
            for position, code in enumerate(organization.languages):
                label = f"{options['label']} ({LANGUAGE_NAMES[code]})"
                required = options.get("required", False) and position == 0
                help_text = options.get("help_text", "") if position == 0 else ""
                if options.get("rich"):
                    result[f"{name}__{code}"] = forms.CharField(
                        label=label,
                        required=required,
                        widget=MarkdownTextarea(),
                        help_text=MARKDOWN_HELP,
                        max_length=options.get("max_length", 20000),
                    )
                else:
                    result[f"{name}__{code}"] = forms.CharField(
                        label=label, required=required, max_length=options.get("max_length", 300), help_text=help_text
                    )
        return result

    def data_of(self, stored: dict, organization) -> dict:
        """The form's values for stored settings (initial values, or data to check them again)."""
        data: dict[str, Any] = {}
        for name in self.fields(organization):
            if name in stored:
                data[name] = stored[name]
        for name, options in self.translated.items():
            value = stored.get(name) or {}
            for code in organization.languages:
                text = value.get(code, "") if isinstance(value, dict) else ""
                data[f"{name}__{code}"] = html_to_markdown(text) if options.get("rich") else text
        return data

    def settings_of(self, cleaned: dict, organization) -> dict:
        """The JSON stored for cleaned form values."""
        stored: dict[str, Any] = {}
        for name in self.fields(organization):
            if name in cleaned:
                stored[name] = cleaned[name]
        for name, options in self.translated.items():
            value = {}
            for code in organization.languages:
                text = (cleaned.get(f"{name}__{code}") or "").strip()
                if text:
                    value[code] = markdown_to_html(text) if options.get("rich") else text
            stored[name] = value
        return stored


class NoSettings(BlockSettings):
    pass


# --- kinds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockKind:
    """A kind of home-page block.

    `render`: callable(request, block, lead) -> HTML ("" shows nothing), or its
    dotted path (imported when first used). `lead` is True for the page's
    first block when the kind `leads` (the hero): it then carries the page's
    one h1; every other block starts at h2. `default_position`: where the kind
    stands in the default composition (None: not in it), with
    `default_settings`. `image`: the block has a picture (and its settings an
    `image_alt`)."""

    name: str
    label: Any
    description: Any = ""
    render: str | Callable = ""
    # A BlockSettings, or the dotted path of its class (a component's
    # manifest imports no model: its settings may read some).
    settings: BlockSettings | str = field(default_factory=NoSettings)
    default_position: int | None = None
    default_settings: dict = field(default_factory=dict)
    leads: bool = False
    image: bool = False
    # Several blocks of this kind on one page (False: "the vote is open" banner).
    repeatable: bool = True

    def renderer(self) -> Callable:
        return import_string(self.render) if isinstance(self.render, str) else self.render

    @property
    def spec(self) -> BlockSettings:
        return _settings_of(self.settings) if isinstance(self.settings, str) else self.settings

    def check(self, stored: dict, organization) -> dict:
        """The settings cleaned by the kind's own fields: what a service stores.
        ValidationError (a dict by field) when they do not hold."""
        spec = self.spec
        fields = spec.form_fields(organization)
        form = forms.Form(data=spec.data_of(stored or {}, organization))
        form.fields = fields
        if not form.is_valid():
            by_field = {name: errors for name, errors in form.errors.items() if name != "__all__"}
            raise ValidationError(by_field or list(form.non_field_errors()))
        values = spec.settings_of(form.cleaned_data, organization)
        spec.validate(values, organization)
        for name, options in spec.translated.items():
            if options.get("rich"):
                values[name] = {code: clean_html(text) for code, text in values[name].items()}
        return values


@functools.cache
def _settings_of(dotted: str) -> BlockSettings:
    return import_string(dotted)()


_kinds: dict[str, BlockKind] = {}


def register_kind(kind: BlockKind) -> BlockKind:
    """Called in an AppConfig.ready (the components app for the manifests' kinds)."""
    _kinds[kind.name] = kind
    return kind


def kinds() -> list[BlockKind]:
    return list(_kinds.values())


def kind_of(name: str) -> BlockKind | None:
    return _kinds.get(name)


def kind_choices() -> list[tuple[str, Any]]:
    return [(kind.name, kind.label) for kind in _kinds.values()]


NO_KIND = _("This kind of block no longer exists.")
