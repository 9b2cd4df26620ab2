"""Content translated per organization language.

A translated field stores one text per language code in a JSON object,
e.g. {"fr": "Budget participatif", "en": "Participatory budget"}. The UI is
translated with gettext; this is for what officers and citizens write.
"""

from django.db import models
from django.utils.translation import get_language


def translated(value, language: str | None = None, fallbacks=("fr", "en")) -> str:
    """The text of `value` in `language`, else the first fallback that has one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    language = (language or get_language() or "fr").split("-")[0]
    if value.get(language):
        return value[language]
    for code in fallbacks:
        if value.get(code):
            return value[code]
    return next((text for text in value.values() if text), "")


class TranslatedField(models.JSONField):
    """A JSON object {language code: text}."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is dict:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs


def tr(text_fr: str, text_en: str | None = None) -> dict:
    """A translated value from a French and an English text (demo and tests)."""
    return {"fr": text_fr, "en": text_en if text_en is not None else text_fr}
