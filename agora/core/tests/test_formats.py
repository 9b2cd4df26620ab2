import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats as django_formats
from django.utils import timezone, translation

from agora.core import formats

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    "value, decimals, fr, en",
    [
        (40007, 0, f"40{NNBSP}007", "40,007"),
        (1500, 0, f"1{NNBSP}500", "1,500"),
        (999, 0, "999", "999"),
        (0, 0, "0", "0"),
        (-2500000, 0, f"-2{NNBSP}500{NNBSP}000", "-2,500,000"),
        (Decimal("1234.5"), 2, f"1{NNBSP}234,50", "1,234.50"),
        (3.14159, 1, "3,1", "3.1"),
        (2.5, 0, "3", "3"),  # half up, not to even
        ("1250", 0, f"1{NNBSP}250", "1,250"),
        (Decimal("78.50"), None, "78,5", "78.5"),
        (Decimal("100.00"), None, "100", "100"),
        (Decimal("-0.4"), 0, "0", "0"),  # never "-0"
    ],
)
def test_number(value, decimals, fr, en):
    assert formats.number(value, decimals, "fr") == fr
    assert formats.number(value, decimals, "en") == en


def test_number_of_what_is_not_a_number():
    assert formats.number(None) == ""
    assert formats.number("—") == "—"
    assert formats.number(float("nan"), language="fr") == "nan"


@pytest.mark.parametrize(
    "value, fr, en",
    [
        (30000, f"30{NNBSP}000{NBSP}€", "€30,000"),
        (45000, f"45{NNBSP}000{NBSP}€", "€45,000"),
        (Decimal("1250.50"), f"1{NNBSP}250,50{NBSP}€", "€1,250.50"),
        (Decimal("12.00"), f"12{NBSP}€", "€12"),
        (-6000, f"-6{NNBSP}000{NBSP}€", "-€6,000"),
        (0, f"0{NBSP}€", "€0"),
        ("{n}", f"{{n}}{NBSP}€", "€{n}"),  # a placeholder a script fills in
        (None, "", ""),
    ],
)
def test_money(value, fr, en):
    assert formats.money(value, "fr") == fr
    assert formats.money(value, "en") == en


def test_percent():
    assert formats.percent(78, language="fr") == f"78{NNBSP}%"
    assert formats.percent(78, language="en") == "78%"
    assert formats.percent(Decimal("78.25"), 1, "fr") == f"78,3{NNBSP}%"


def test_an_unknown_language_is_written_the_english_way():
    assert formats.money(45000, "it") == "€45,000"
    assert formats.long_date(datetime.date(2026, 12, 1), "it") == "1 December 2026"


def test_spanish_and_german():
    day, moment = datetime.date(2026, 12, 1), datetime.datetime(2026, 12, 1, 14, 30)
    assert formats.money(45000, "es") == f"45.000{NBSP}€" and formats.money(45000, "de") == f"45.000{NBSP}€"
    assert formats.number(Decimal("1234.5"), None, "es") == "1.234,5"
    assert formats.percent(78, language="de") == f"78{NBSP}%"
    assert formats.long_date(day, "es") == "1 de diciembre de 2026"
    assert formats.long_date(day, "de") == "1. Dezember 2026"
    assert formats.long_datetime(moment, "es") == "1 de diciembre de 2026 a las 14:30"
    assert formats.short_date(day, "de") == f"1.{NBSP}Dez. 2026"
    assert formats.month_year(day, "es") == "diciembre de 2026"


def test_the_current_language_is_the_default():
    with translation.override("fr"):
        assert formats.money(30000) == f"30{NNBSP}000{NBSP}€"
    with translation.override("en"):
        assert formats.money(30000) == "€30,000"


@pytest.mark.parametrize(
    "function, value, fr, en",
    [
        (formats.long_date, datetime.date(2026, 12, 1), "1er décembre 2026", "1 December 2026"),
        (formats.long_date, datetime.date(2026, 5, 3), "3 mai 2026", "3 May 2026"),
        (
            formats.long_datetime,
            datetime.datetime(2026, 12, 1, 9, 5),
            "1er décembre 2026 à 09:05",
            "1 December 2026 at 09:05",
        ),
        (formats.long_datetime, datetime.date(2026, 2, 14), "14 février 2026", "14 February 2026"),
        (formats.short_date, datetime.date(2026, 12, 1), f"1er{NBSP}déc. 2026", f"1{NBSP}Dec 2026"),
        (formats.short_date, datetime.date(2026, 8, 15), f"15{NBSP}août 2026", f"15{NBSP}Aug 2026"),
        (
            formats.short_datetime,
            datetime.datetime(2026, 3, 2, 18, 0),
            f"2{NBSP}mars 2026, 18:00",
            f"2{NBSP}Mar 2026, 18:00",
        ),
        (formats.month_year, datetime.date(2026, 12, 1), "décembre 2026", "December 2026"),
        (formats.time, datetime.datetime(2026, 12, 1, 14, 30), "14:30", "14:30"),
    ],
)
def test_dates(function, value, fr, en):
    assert function(value, "fr") == fr
    assert function(value, "en") == en
    assert function(None, "fr") == ""


def test_aware_datetimes_are_shown_in_the_current_time_zone():
    moment = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert formats.long_datetime(moment, "fr") == "1er décembre 2026 à 00:30"
        assert formats.long_date(moment, "en") == "1 December 2026"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jeanne M.", "Jeanne M"),
        ("Jeanne Martin", "Jeanne Martin"),
        ("Etc...", "Etc..."),
        ("", ""),
        (None, ""),
    ],
)
def test_before_period(text, expected):
    assert formats.before_period(text) == expected


def _render(source, language, **context):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        return Template(source).render(Context(context))


def test_the_filters_are_built_into_every_template():
    source = (
        "{{ cost|money }}|{{ people|number }}|{{ rate|percent }}|{{ when|long_date }}|{{ when|long_datetime }}|"
        "{{ when|short_date }}|{{ when|short_datetime }}|{{ when|month_year }}|{{ when|time_of_day }}|"
        "{{ name|before_period }}"
    )
    context = {
        "cost": 30000,
        "people": 40007,
        "rate": 78,
        "name": "Jeanne M.",
        "when": datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC),
    }
    assert _render(source, "fr", **context).split("|") == [
        f"30{NNBSP}000{NBSP}€",
        f"40{NNBSP}007",
        f"78{NNBSP}%",
        "1er décembre 2026",
        "1er décembre 2026 à 00:30",
        f"1er{NBSP}déc. 2026",
        f"1er{NBSP}déc. 2026, 00:30",
        "décembre 2026",
        "00:30",
        "Jeanne M",
    ]
    assert _render(source, "en", **context).split("|") == [
        "€30,000",
        "40,007",
        "78%",
        "1 December 2026",
        "1 December 2026 at 00:30",
        f"1{NBSP}Dec 2026",
        f"1{NBSP}Dec 2026, 00:30",
        "December 2026",
        "00:30",
        "Jeanne M",
    ]


def test_the_filters_escape_what_they_are_given():
    assert _render("{{ value|money }}", "en", value="<b>") == "€&lt;b&gt;"


def test_django_formats_agree():
    """What Django formats itself (widgets, |date:"DATE_FORMAT", |floatformat:"g") agrees."""
    moment = datetime.datetime(2026, 12, 1, 14, 30)
    with translation.override("fr"):
        assert django_formats.number_format(40007, force_grouping=True) == f"40{NNBSP}007"
        assert django_formats.date_format(moment, "DATETIME_FORMAT") == "1 décembre 2026 à 14:30"
        assert django_formats.date_format(moment, "SHORT_DATE_FORMAT") == f"1{NBSP}déc. 2026"
    with translation.override("en"):
        assert django_formats.date_format(moment, "DATE_FORMAT") == "1 December 2026"
        assert django_formats.date_format(moment, "DATETIME_FORMAT") == "1 December 2026 at 14:30"
        assert django_formats.date_format(moment, "SHORT_DATE_FORMAT") == f"1{NBSP}Dec 2026"
