"""The living style guide (staff only): every page part (core/templates/parts,
docs/design.md) in every state, in the light and the high-contrast theme side
by side, with sample content. A new part is added here when it is written."""

from types import SimpleNamespace

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.core.formats import money, number
from agora.core.icons import ICONS
from agora.web.access import backoffice_view

COLOURS = (
    "brand",
    "brand-strong",
    "accent",
    "text",
    "muted",
    "border",
    "divider",
    "surface",
    "surface-alt",
    "ok",
    "warn",
    "error",
    "info",
    "focus",
)


class SampleFilters(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words to look for"), required=False)
    order = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[("recent", gettext_lazy("Most recent")), ("supported", gettext_lazy("Most supported"))],
    )
    mine = forms.BooleanField(label=gettext_lazy("Only my ideas"), required=False)


def _meter(used, limit):
    """What budgets/_meter.html reads (the budgets' Meter), for an envelope ballot."""
    over = max(used - limit, 0)
    return SimpleNamespace(
        unit="euros",
        used=used,
        limit=limit,
        minimum=0,
        cost=used,
        envelope=limit,
        over=over,
        remaining=max(limit - used, 0),
        percent=min(100, 5 * round(20 * used / limit)),
    )


def _theme(name):
    phases = [
        SimpleNamespace(title={"fr": title, "en": title}, start_date=None, end_date=None, is_active=active)
        for title, active in ((_("Ideas"), False), (_("Vote"), True), (_("Results"), False))
    ]
    space = SimpleNamespace(
        title={"fr": _("Participatory budget 2027")},
        subtitle={"fr": _("Decide together")},
        hero_image=None,
        start_date=None,
        end_date=None,
        scope=_("Whole town"),
    )
    return {
        "name": name,
        "title": _("Light theme") if name == "light" else _("High-contrast theme"),
        "prefix": name,
        "filters": SampleFilters(auto_id=f"{name}-filter-%s"),
        "phases": phases,
        "no_active_phase": [SimpleNamespace(**{**vars(phase), "is_active": False}) for phase in phases],
        "space": space,
        "phase": SimpleNamespace(title={"fr": _("Vote")}, end_date=None, cta_url="#", cta_text={"fr": _("Vote")}),
        "chart_rows": [
            (_("Ideas"), 120, number(120)),
            (_("Supports"), 860, number(860), True),
            (_("Comments"), 0, number(0)),
        ],
        "meter_within": _meter(320_000, 500_000),
        "meter_over": _meter(560_000, 500_000),
        "page_obj": Paginator(range(60), 12).get_page(2),
        "envelope": money(500_000),
    }


@backoffice_view("backoffice.access")
def styleguide(request):
    return render(
        request,
        "backoffice/styleguide.html",
        {
            "bo_section": "styleguide",
            "themes": [_theme("light"), _theme("contrast")],
            "colours": COLOURS,
            "icons": ICONS,
        },
    )
