"""Tags of the page parts (core/templates/parts/, docs/design.md) that need a
little Python: breadcrumbs from pairs, the steps of a phase stepper, the rows
of a bar chart, the counters of a card, and {% capture %} (a piece of a page
rendered into a variable, to give a part its badges or extra content). Built
in (settings.TEMPLATES)."""

from django import template

from agora.core.translations import translated

register = template.Library()


@register.inclusion_tag("parts/breadcrumbs.html")
def breadcrumbs(*items, label=""):
    """{% breadcrumbs label url label url ... current %}: links, then the current page (no link);
    label= names the navigation when a page has several."""
    pairs = [(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2) if items[i]]
    if len(items) % 2:
        pairs.append((items[-1], ""))
    return {"crumbs": pairs, "label": label}


@register.inclusion_tag("parts/stepper.html")
def phase_stepper(phases, label=""):
    """{% phase_stepper space.phases.all %}: phases before the active one are finished,
    the active one is current, the others to come (all to come when none is active)."""
    phases = list(phases)
    active = next((index for index, phase in enumerate(phases) if getattr(phase, "is_active", False)), None)
    steps = []
    for index, phase in enumerate(phases):
        state = "future" if active is None or index > active else ("active" if index == active else "past")
        steps.append(
            {"title": translated(phase.title), "start": phase.start_date, "end": phase.end_date, "state": state}
        )
    return {"steps": steps, "label": label}


_chart_ids = iter(range(1, 10**9))


@register.inclusion_tag("parts/chart.html")
def bar_chart(caption, rows, label_heading="", value_heading="", chart_id=""):
    """{% bar_chart caption rows %}: rows of (label, value, display[, highlight]); bars scaled to the largest
    value. The figures are shown as text and again as a table."""
    rows = [tuple(row) + (False,) * (4 - len(row)) for row in rows]
    top = max((float(row[1] or 0) for row in rows), default=0)
    shown = [
        {
            "label": label,
            "display": display,
            "highlight": highlight,
            # a string: an SVG attribute is never written with the language's decimal comma
            "percent": f"{100 * float(value or 0) / top:.1f}" if top else "0",
        }
        for label, value, display, highlight in rows
    ]
    return {
        "caption": caption,
        "rows": shown,
        "label_heading": label_heading,
        "value_heading": value_heading,
        "chart_id": chart_id or f"chart-{next(_chart_ids)}",
    }


@register.simple_tag
def counters(*items):
    """{% counters "thumbs-up" supports_text "message-square" comments_text as counters %}:
    the (icon, words) pairs of a card's counters; pairs without words are left out."""
    return [(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2) if items[i + 1] not in ("", None)]


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context: template.Context) -> str:
        # NodeList.render gives the already escaped output of the nodes, marked safe.
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}...{% endcapture %}: renders its content (escaped
    as everywhere) into `name` instead of the page, for a part's parameter
    that takes rendered HTML (the card's badges, meta or extra)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
