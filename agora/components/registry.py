"""The registry of component types (plug-ins).

A component app declares a `ComponentManifest` in its `component.py`:

    registry.register(ComponentManifest(name="news", label=_("News"), ...))

Hooks are dotted paths, loaded lazily, so registering costs nothing at start-up.
"""

from dataclasses import dataclass, field
from typing import Any, Callable

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Setting:
    """One setting of a component, for the whole component or per phase."""

    name: str
    type: str  # "bool", "int", "str", "text", "choice"
    default: Any
    label: Any
    help_text: Any = ""
    choices: tuple = ()
    min_value: int | None = None
    max_value: int | None = None

    def clean(self, raw):
        if self.type == "bool":
            if isinstance(raw, str):
                return raw.lower() in {"1", "true", "on", "yes"}
            return bool(raw)
        if self.type == "int":
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise ValidationError(_("%(label)s: enter a whole number."), params={"label": self.label})
            if self.min_value is not None and value < self.min_value:
                raise ValidationError(
                    _("%(label)s: enter at least %(min)s."), params={"label": self.label, "min": self.min_value}
                )
            if self.max_value is not None and value > self.max_value:
                raise ValidationError(
                    _("%(label)s: enter at most %(max)s."), params={"label": self.label, "max": self.max_value}
                )
            return value
        if self.type == "choice":
            allowed = [value for value, _label in self.choices]
            if raw not in allowed:
                raise ValidationError(_("%(label)s: choose one of the options."), params={"label": self.label})
            return raw
        return "" if raw is None else str(raw)


@dataclass(frozen=True)
class ComponentManifest:
    name: str
    label: Any
    description: Any = ""
    settings: tuple[Setting, ...] = ()
    phase_settings: tuple[Setting, ...] = ()
    # Participant actions that can be gated (permissions, eligibility).
    actions: tuple[str, ...] = ()
    public_urls: str | None = None  # dotted module of urlpatterns
    admin_urls: str | None = None
    # Dotted paths to callables taking a Component:
    stats: str | None = None  # -> list of (label, number)
    exports: dict[str, str] = field(default_factory=dict)  # format name -> callable(component) -> HttpResponse
    search: str | None = None  # -> iterable of (title, text, url) for the search index
    seed: str | None = None  # demo data: callable(component)
    # Copying a space for its next edition: callable(source, copy) copies the
    # component's configuration (pages, budgets, states ...), never what
    # participants wrote (agora.spaces.copying).
    copy: str | None = None
    # Callable(request) -> HTML for the home page (e.g. latest news), or "".
    home_block: str | None = None

    def hook(self, dotted: str | None) -> Callable | None:
        return import_string(dotted) if dotted else None

    def default_settings(self) -> dict:
        return {s.name: s.default for s in self.settings}

    def default_phase_settings(self) -> dict:
        return {s.name: s.default for s in self.phase_settings}

    def clean_settings(self, raw: dict, *, per_phase: bool = False) -> dict:
        """Validated settings from raw values; missing ones take their default."""
        definitions = self.phase_settings if per_phase else self.settings
        cleaned, errors = {}, []
        for definition in definitions:
            try:
                cleaned[definition.name] = definition.clean(raw.get(definition.name, definition.default))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class Registry:
    def __init__(self):
        self._manifests: dict[str, ComponentManifest] = {}

    def register(self, manifest: ComponentManifest) -> ComponentManifest:
        if manifest.name in self._manifests:
            raise ValueError(f"Component {manifest.name!r} is registered twice")
        self._manifests[manifest.name] = manifest
        return manifest

    def get(self, name: str) -> ComponentManifest | None:
        return self._manifests.get(name)

    def __getitem__(self, name: str) -> ComponentManifest:
        return self._manifests[name]

    def all(self) -> list[ComponentManifest]:
        return list(self._manifests.values())

    def choices(self):
        return [(m.name, m.label) for m in self._manifests.values()]


registry = Registry()

# Cross-cutting layers that keep configuration per component (eligibility
# rules ...) copy it too when a space is copied: callable(source, copy).
_copy_extensions: list[Callable] = []


def register_copy_extension(function: Callable) -> Callable:
    if function not in _copy_extensions:
        _copy_extensions.append(function)
    return function


def copy_extensions() -> list[Callable]:
    return list(_copy_extensions)
