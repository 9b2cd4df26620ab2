"""The filters of agora.core.formats, built into every template (settings.TEMPLATES
"builtins"): {{ project.cost|money }}, {{ count|number }}, {{ ballot.created_at|long_datetime }},
{{ entry.created_at|short_datetime }}, {{ rate|percent }}, {{ person.public_name|before_period }}.
Dates and times are converted to the current time zone first (expects_localtime)."""

from django import template

from agora.core import formats

register = template.Library()


def _decimals(argument):
    return None if argument in ("", None) else int(argument)


@register.filter(name="number")
def number_filter(value, decimals=0):
    """{{ count|number }}: "40 007" / "40,007"; {{ rate|number:1 }}: "3,5" / "3.5";
    {{ rate|number:"" }}: the decimals the value needs."""
    return formats.number(value, _decimals(decimals))


@register.filter(name="money")
def money_filter(value):
    """{{ project.cost|money }}: "30 000 €" / "€30,000"."""
    return formats.money(value)


@register.filter(name="percent")
def percent_filter(value, decimals=0):
    """{{ rate|percent }}: "78 %" / "78%"; {{ rate|percent:"" }}: "78,5 %" / "78.5%"."""
    return formats.percent(value, _decimals(decimals))


@register.filter(expects_localtime=True)
def long_date(value):
    return formats.long_date(value)


@register.filter(expects_localtime=True)
def long_datetime(value):
    return formats.long_datetime(value)


@register.filter(expects_localtime=True)
def short_date(value):
    return formats.short_date(value)


@register.filter(expects_localtime=True)
def short_datetime(value):
    return formats.short_datetime(value)


@register.filter(expects_localtime=True)
def month_year(value):
    return formats.month_year(value)


@register.filter(expects_localtime=True, name="time_of_day")
def time_of_day(value):
    return formats.time(value)


@register.filter
def before_period(value):
    """{% blocktranslate with name=person.public_name|before_period %}... for {{ name }}.{% endblocktranslate %}"""
    return formats.before_period(value)
