"""Machine translation of published content (issue 22, section 4).

- **Backends** behind one interface, chosen by `AGORA_TRANSLATION_BACKEND`:
  "" (none, the default), "local" (deterministic, no network: tests and the
  demo), "deepl" and "libretranslate" (HTTP, through agora.core.outgoing, with
  a timeout; nothing is called at import). A backend translates a list of texts
  from one language to another, or raises `TranslationError`.
- **What is translatable** is registered by the apps that own it:
  `register(Translatable(model, fields, rows, html))`, `rows(organization)`
  giving the public instances (components declare theirs in the manifest's
  `translatable`; the comments app registers comments).
- **The worker** (`translate_organization`, run by the task of
  `agora.core.tasks` and `manage.py machine_translate`) translates every
  public field into each of the organization's other languages when it has no
  translation yet or its original changed, and stores it in `MachineTranslation`,
  never in the field itself: officers' own translations (a TranslatedField's
  text in that language) always win, and are never overwritten. A backend that
  fails leaves everything as it was: the next run tries again.
- **Pages** call `show(request, objects, fields)`: the objects' fields are
  replaced, in memory, by the fresh machine translations into the visitor's
  language, unless the visitor asked for the original (`?original=1`); the
  page's banner says "machine translated — show original"."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from agora.core import outgoing
from agora.core.models import MachineTranslation, Organization
from agora.core.sanitize import clean_html

log = logging.getLogger(__name__)

ORIGINAL_PARAMETER = "original"
BATCH = 40
TIMEOUT = 20  # seconds, per request to a translation service


class TranslationError(Exception):
    """The service could not translate (unreachable, refused, over quota)."""


class Backend(Protocol):
    name: str

    def translate(self, texts: list[str], *, source: str, target: str, html: bool = False) -> list[str]: ...


# --- backends -----------------------------------------------------------------------------

# A few words, enough for the demo to read as a translation; the marker says which language.
_WORDS = {
    ("fr", "en"): {
        "idée": "idea",
        "idées": "ideas",
        "vélo": "bike",
        "vélos": "bikes",
        "rue": "street",
        "parc": "park",
        "école": "school",
        "arbres": "trees",
        "arbre": "tree",
        "jardin": "garden",
        "réunion": "meeting",
        "quartier": "neighbourhood",
        "ville": "town",
        "piste": "lane",
        "cyclable": "cycle",
        "pour": "for",
        "des": "some",
        "les": "the",
        "le": "the",
        "la": "the",
        "et": "and",
        "dans": "in",
        "sur": "on",
        "avec": "with",
        "une": "a",
        "un": "a",
        "de": "of",
        "du": "of the",
        "place": "square",
        "débat": "debate",
    },
    ("en", "fr"): {
        "idea": "idée",
        "ideas": "idées",
        "bike": "vélo",
        "street": "rue",
        "park": "parc",
        "school": "école",
        "tree": "arbre",
        "trees": "arbres",
        "garden": "jardin",
        "meeting": "réunion",
        "the": "le",
        "and": "et",
        "in": "dans",
        "on": "sur",
        "with": "avec",
        "for": "pour",
        "a": "un",
        "of": "de",
        "debate": "débat",
    },
}
_TAG = re.compile(r"(<[^>]+>)")
_WORD = re.compile(r"\w+", re.UNICODE)


class LocalBackend:
    """Deterministic and offline: a small dictionary and a marker, "[EN] …".
    `fail` makes it raise, for tests of a service that fails."""

    name = "local"
    fail = False

    def translate(self, texts: list[str], *, source: str, target: str, html: bool = False) -> list[str]:
        if self.fail:
            raise TranslationError("local backend told to fail")
        words = _WORDS.get((source, target), {})

        def word(match: re.Match) -> str:
            found = words.get(match.group(0).lower())
            if found is None:
                return match.group(0)
            return found.capitalize() if match.group(0)[0].isupper() else found

        def one(text: str) -> str:
            parts = _TAG.split(text) if html else [text]
            done = "".join(part if part.startswith("<") else _WORD.sub(word, part) for part in parts)
            marker = f"[{target.upper()}] "
            if html and done.startswith("<"):  # the marker inside the first element
                closing = done.find(">") + 1
                return done[:closing] + marker + done[closing:]
            return marker + done

        return [one(text) for text in texts]


class DeepLBackend:
    """DeepL's API v2 (https://developers.deepl.com): AGORA_DEEPL_KEY; AGORA_DEEPL_URL for the
    free plan's host (https://api-free.deepl.com/v2/translate, the default) or the paid one."""

    name = "deepl"

    def translate(self, texts: list[str], *, source: str, target: str, html: bool = False) -> list[str]:
        key = getattr(settings, "AGORA_DEEPL_KEY", "")
        if not key:
            raise TranslationError("AGORA_DEEPL_KEY is not set")
        data: dict[str, Any] = {"text": texts, "source_lang": source.upper(), "target_lang": _deepl_target(target)}
        if html:
            data["tag_handling"] = "html"
        try:
            response = outgoing.safe_post(
                getattr(settings, "AGORA_DEEPL_URL", "") or "https://api-free.deepl.com/v2/translate",
                json=data,
                headers={"Authorization": f"DeepL-Auth-Key {key}"},
                timeout=TIMEOUT,
                operator_configured=True,
            )
            found = [item["text"] for item in response.json()["translations"]]
        except (outgoing.OutgoingRequestError, ValueError, KeyError, TypeError) as error:
            raise TranslationError(f"DeepL: {error}") from error
        if len(found) != len(texts):
            raise TranslationError("DeepL answered a different number of texts")
        return found


def _deepl_target(language: str) -> str:
    # DeepL asks which English and Portuguese.
    return {"en": "EN-GB", "pt": "PT-PT"}.get(language, language.upper())


class LibreTranslateBackend:
    """LibreTranslate (https://libretranslate.com, or one's own server): AGORA_LIBRETRANSLATE_URL
    (…/translate), AGORA_LIBRETRANSLATE_KEY when the server asks one."""

    name = "libretranslate"

    def translate(self, texts: list[str], *, source: str, target: str, html: bool = False) -> list[str]:
        url = getattr(settings, "AGORA_LIBRETRANSLATE_URL", "")
        if not url:
            raise TranslationError("AGORA_LIBRETRANSLATE_URL is not set")
        data: dict[str, Any] = {"q": texts, "source": source, "target": target, "format": "html" if html else "text"}
        if getattr(settings, "AGORA_LIBRETRANSLATE_KEY", ""):
            data["api_key"] = settings.AGORA_LIBRETRANSLATE_KEY
        try:
            response = outgoing.safe_post(url, json=data, timeout=TIMEOUT, operator_configured=True)
            found = response.json()["translatedText"]
        except (outgoing.OutgoingRequestError, ValueError, KeyError, TypeError) as error:
            raise TranslationError(f"LibreTranslate: {error}") from error
        if isinstance(found, str):
            found = [found]
        if len(found) != len(texts):
            raise TranslationError("LibreTranslate answered a different number of texts")
        return [str(text) for text in found]


BACKENDS: dict[str, str] = {
    "local": "agora.core.machine_translation.LocalBackend",
    "deepl": "agora.core.machine_translation.DeepLBackend",
    "libretranslate": "agora.core.machine_translation.LibreTranslateBackend",
}


def backend() -> Backend | None:
    """The installation's backend (AGORA_TRANSLATION_BACKEND: a name of BACKENDS or a dotted
    path), None when there is none."""
    name = getattr(settings, "AGORA_TRANSLATION_BACKEND", "") or ""
    if not name:
        return None
    return import_string(BACKENDS.get(name, name))()


def enabled_for(organization: Organization) -> bool:
    return bool(organization.machine_translation and getattr(settings, "AGORA_TRANSLATION_BACKEND", ""))


# --- what is translatable -----------------------------------------------------------------


@dataclass(frozen=True)
class Translatable:
    """`model` "app_label.ModelName"; `fields` its translatable fields (a TranslatedField
    or a text field); `rows` callable(organization) -> iterable of its public
    instances; `html` the fields holding (sanitized) HTML."""

    model: str
    fields: tuple[str, ...]
    rows: Callable[[Organization], Iterable[Any]]
    html: tuple[str, ...] = ()


_registry: dict[str, Translatable] = {}


def register(translatable: Translatable) -> None:
    _registry[translatable.model.lower()] = translatable


def registered() -> list[Translatable]:
    return list(_registry.values())


def _label(obj) -> str:
    return obj._meta.label_lower


@dataclass(frozen=True)
class Source:
    language: str
    text: str
    # The languages officers wrote themselves (a TranslatedField's other texts): never machine translated.
    written: frozenset = field(default_factory=frozenset)

    @property
    def hash(self) -> str:
        return hashlib.sha256(f"{self.language}\0{self.text}".encode()).hexdigest()


def source_of(value, organization: Organization) -> Source | None:
    """The original of a field's value: a plain text is in the organization's
    default language; a TranslatedField's original is its text in the default
    language, else the first language that has one."""
    if isinstance(value, str):
        return Source(organization.default_language, value) if value.strip() else None
    if not isinstance(value, dict):
        return None
    written = {code: text for code, text in value.items() if isinstance(text, str) and text.strip()}
    if not written:
        return None
    language = organization.default_language if organization.default_language in written else next(iter(written))
    return Source(language, written[language], frozenset(written))


# --- the worker ---------------------------------------------------------------------------


@dataclass
class Report:
    translated: int = 0
    failed: int = 0
    unchanged: int = 0


def translate_organization(organization: Organization, chosen: Backend | None = None) -> Report:
    """Translate what needs it (missing or stale) of every registered model. A
    failing batch is logged and counted; what was stored stays as it was."""
    report = Report()
    chosen = chosen or backend()
    if chosen is None or not organization.machine_translation:
        return report
    for translatable in registered():
        _translate_model(organization, translatable, chosen, report)
    return report


def _translate_model(organization: Organization, translatable: Translatable, chosen: Backend, report: Report) -> None:
    rows = list(translatable.rows(organization))
    if not rows:
        return
    label = _label(rows[0])
    stored = {
        (each.object_id, each.field, each.language): each.source_hash
        for each in MachineTranslation.objects.filter(
            model=label, object_id__in=[row.pk for row in rows], field__in=translatable.fields
        ).only("object_id", "field", "language", "source_hash")
    }
    wanted: dict[tuple[str, str, bool], list[tuple[int, str, Source]]] = {}
    for row in rows:
        for name in translatable.fields:
            source = source_of(getattr(row, name), organization)
            if source is None:
                continue
            for language in organization.languages:
                if language == source.language or language in source.written:
                    continue
                if stored.get((row.pk, name, language)) == source.hash:
                    report.unchanged += 1
                    continue
                key = (source.language, language, name in translatable.html)
                wanted.setdefault(key, []).append((row.pk, name, source))
    for (source_language, language, html), items in wanted.items():
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            try:
                texts = chosen.translate(
                    [source.text for _pk, _name, source in batch], source=source_language, target=language, html=html
                )
            except TranslationError as error:
                log.warning("Machine translation %s→%s failed for %s: %s", source_language, language, label, error)
                report.failed += len(batch)
                continue
            _store(organization, label, language, batch, texts, html, getattr(chosen, "name", ""))
            report.translated += len(batch)


def _store(organization, label, language, batch, texts, html: bool, backend_name: str) -> None:
    with transaction.atomic():
        for (pk, name, source), text in zip(batch, texts, strict=True):
            MachineTranslation.objects.update_or_create(
                model=label,
                object_id=pk,
                field=name,
                language=language,
                defaults={
                    "organization": organization,
                    "source_language": source.language,
                    "source_hash": source.hash,
                    "text": clean_html(text) if html else text,
                    "backend": backend_name,
                },
            )


# --- pages --------------------------------------------------------------------------------


def wants_original(request) -> bool:
    return request.GET.get(ORIGINAL_PARAMETER) == "1"


def show(request, objects: Iterable[Any], fields: Iterable[str]) -> dict:
    """Put the fresh machine translations into the visitor's language on the
    objects' fields (in memory, for this page), unless the visitor asked for
    the original. {"machine_translation": "translated" | "original"} for the
    page's banner, {} when nothing of the page is machine translated."""
    organization = request.organization
    objects = [each for each in objects if each is not None]
    if not objects or not enabled_for(organization):
        return {}
    language = (getattr(request, "LANGUAGE_CODE", "") or organization.default_language).split("-")[0]
    names = list(fields)
    wanted: dict[tuple[str, int, str], Source] = {}
    for obj in objects:
        for name in names:
            source = source_of(getattr(obj, name, None), organization)
            if source is not None and language != source.language and language not in source.written:
                wanted[(_label(obj), obj.pk, name)] = source
    if not wanted:
        return {}
    found = MachineTranslation.objects.filter(
        model__in={key[0] for key in wanted},
        object_id__in={key[1] for key in wanted},
        field__in=names,
        language=language,
    )
    fresh = {
        (each.model, each.object_id, each.field): each.text
        for each in found
        if (each.model, each.object_id, each.field) in wanted
        and wanted[(each.model, each.object_id, each.field)].hash == each.source_hash
    }
    if not fresh:
        return {}
    if wants_original(request):
        return {"machine_translation": "original"}
    for obj in objects:
        for name in names:
            text = fresh.get((_label(obj), obj.pk, name))
            if text is None:
                continue
            value = getattr(obj, name)
            setattr(obj, name, {**value, language: text} if isinstance(value, dict) else text)
    return {"machine_translation": "translated"}
