"""{% column_chart caption periods %}: contributions over time as SVG columns
(decoration, hidden from assistive technologies) with the same figures as a table."""

from django import template

from agora.core import formats

register = template.Library()

_ids = iter(range(1, 10**9))
WIDTH, HEIGHT = 600, 160


@register.inclusion_tag("statistics/parts/column_chart.html")
def column_chart(caption, periods, period_heading="", value_heading="", second_heading=""):
    top = max((period.total for period in periods), default=0)
    count = max(len(periods), 1)
    step = WIDTH / count
    columns = []
    for index, period in enumerate(periods):
        height = HEIGHT * period.total / top if top else 0
        columns.append(
            {
                "period": period,
                # strings: an SVG attribute is never written with the language's decimal comma
                "x": f"{index * step + step * 0.1:.1f}",
                "width": f"{max(step * 0.8, 1):.1f}",
                "y": f"{HEIGHT - height:.1f}",
                "height": f"{height:.1f}",
            }
        )
    return {
        "caption": caption,
        "columns": columns,
        "width": WIDTH,
        "height": HEIGHT,
        "chart_id": f"columns-{next(_ids)}",
        "period_heading": period_heading,
        "value_heading": value_heading,
        "second_heading": second_heading,
    }


@register.filter
def index_width(index) -> str:
    """The width of an index's bar out of 200: 100 is an index of 1, 200 an index of 2 or more."""
    return f"{min(float(index or 0), 2.0) * 100:.1f}"


@register.filter
def share(value) -> str:
    """A share between 0 and 1 as a percentage with one decimal: "42,5 %"."""
    if value is None:
        return ""
    return formats.percent(float(value) * 100, 1)
