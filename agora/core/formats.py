"""Numbers, amounts, dates and names as Agora writes them, in French and in English.

Every page and every e-mail goes through these functions (templates through
the filters of `agora.core.templatetags.formats`, a built-in library: no
`{% load %}` needed), so the two languages each have one way of writing a
thing:

    number(40007)          fr "40 007"          en "40,007"
    money(30000)           fr "30 000 €"        en "€30,000"
    percent(78)            fr "78 %"            en "78%"
    long_date(d)           fr "1er décembre 2026"        en "1 December 2026"
    long_datetime(dt)      fr "1er décembre 2026 à 14:30" en "1 December 2026 at 14:30"
    short_date(d)          fr "1er déc. 2026"     en "1 Dec 2026"
    short_datetime(dt)     fr "1 déc. 2026, 14:30"         en "1 Dec 2026, 14:30"
    month_year(d)          fr "décembre 2026"   en "December 2026"

French follows the Imprimerie nationale and CLDR (what browsers' `Intl`
writes, so a figure a script updates looks like the one the server wrote):
a narrow no-break space (U+202F) between thousands and before "%", a no-break
space (U+00A0) before "€". The spaces before ":", ";", "!" and "?" belong
to the sentences, so they are in the French catalogues (`make messages`
checks them, see agora/core/typography.py), never added to what people type.

Unknown languages are written the English way. Aware datetimes are shown
in the current time zone (the organization's).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import numberformat, timezone
from django.utils.translation import get_language

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space

_MONTHS: dict[str, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_MONTHS["es"] = tuple(
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
)
_MONTHS["de"] = tuple("Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split())
_SHORT_MONTHS = {
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"),
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_SEPARATORS = {"fr": (",", NNBSP), "en": (".", ","), "es": (",", "."), "de": (",", ".")}
# Languages that write the euro sign after the amount ("30 000 €") and a space before "%".
_EURO_AFTER = {"fr", "es", "de"}


def _language(language: str | None) -> str:
    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in _SEPARATORS else "en"


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number(value, decimals: int | None = 0, language: str | None = None) -> str:
    """`value` with the language's thousands and decimal separators, rounded
    half up to `decimals` places (None: as many as the value needs, "78,5"
    for 78.50). A value
    that is not a number is returned as text, unchanged ("" for None)."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if decimals is not None:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.normalize()  # 78.50 -> 78.5
    if amount == 0:
        amount = abs(amount)  # no "-0"
    decimal_sep, thousand_sep = _SEPARATORS[_language(language)]
    return str(
        numberformat.format(amount, decimal_sep, decimals, grouping=3, thousand_sep=thousand_sep, force_grouping=True)
    )


def money(value, language: str | None = None) -> str:
    """An amount in euros: whole euros when it is whole, else with cents.

    A text that is not a number (such as the "{n}" a script replaces) gets
    the euro sign where the language puts it: fr "{n} €", en "€{n}"."""
    language = _language(language)
    amount = _decimal(value)
    if amount is None:
        if value is None or value == "":
            return ""
        text, negative = str(value), False
    else:
        decimals = 0 if amount == amount.to_integral_value() else 2
        rounded = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text, negative = number(abs(rounded), decimals, language), rounded < 0
    if language in _EURO_AFTER:
        return f"{'-' if negative else ''}{text}{NBSP}€"
    return f"{'-' if negative else ''}€{text}"


def percent(value, decimals: int | None = 0, language: str | None = None) -> str:
    """fr "78 %" (narrow no-break space), en "78%"."""
    language = _language(language)
    text = number(value, decimals, language)
    if text == "":
        return ""
    if language == "fr":
        return f"{text}{NNBSP}%"
    return f"{text}{NBSP}%" if language in _EURO_AFTER else f"{text}%"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value, language: str) -> str:
    return "1er" if language == "fr" and value.day == 1 else str(value.day)


def long_date(value, language: str | None = None) -> str:
    """fr "1er décembre 2026", en "1 December 2026"."""
    if not value:
        return ""
    language, value = _language(language), _local(value)
    month = _MONTHS.get(language, _MONTHS["en"])[value.month - 1]
    if language == "es":
        return f"{value.day} de {month} de {value.year}"
    if language == "de":
        return f"{value.day}. {month} {value.year}"
    return f"{_day(value, language)} {month} {value.year}"


def time(value, language: str | None = None) -> str:
    """ "14:30" in both languages (24 hours, as French and European English write it)."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.hour:02d}:{value.minute:02d}"


def long_datetime(value, language: str | None = None) -> str:
    """fr "1er décembre 2026 à 14:30", en "1 December 2026 at 14:30"."""
    if not value:
        return ""
    language = _language(language)
    if not isinstance(value, datetime.datetime):
        return long_date(value, language)
    word = {"fr": "à", "es": "a las", "de": "um"}.get(language, "at")
    return f"{long_date(value, language)} {word} {time(value)}"


def short_date(value, language: str | None = None) -> str:
    """fr "1 déc. 2026", en "1 Dec 2026": narrow table columns, never ambiguous
    (01/12 is the first of December in France and January 12 in the US)."""
    if not value:
        return ""
    language, value = _language(language), _local(value)
    day = f"{value.day}." if language == "de" else _day(value, language)
    return f"{day}{NBSP}{_SHORT_MONTHS.get(language, _SHORT_MONTHS['en'])[value.month - 1]} {value.year}"


def short_datetime(value, language: str | None = None) -> str:
    """fr "1 déc. 2026, 14:30", en "1 Dec 2026, 14:30"."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return short_date(value, language)
    return f"{short_date(value, language)}, {time(value)}"


def month_year(value, language: str | None = None) -> str:
    """fr "décembre 2026", en "December 2026"."""
    if not value:
        return ""
    language, value = _language(language), _local(value)
    month = _MONTHS.get(language, _MONTHS["en"])[value.month - 1]
    return f"{month} de {value.year}" if language == "es" else f"{month} {value.year}"


def before_period(text) -> str:
    """A name or phrase that ends a sentence, without its own final period, so
    that "Jeanne M." followed by the sentence's period is "Jeanne M.", not
    "Jeanne M..". An ellipsis ("...", "…") is kept."""
    text = "" if text is None else str(text)
    if text.endswith(".") and not text.endswith(".."):
        return text[:-1]
    return text
