"""Staff dashboards of participation statistics (the back-office), the
representativeness of an edition, the reference population and the
organization's choice of public figures."""

import io
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from agora import permissions
from agora.core import formats
from agora.core.csvfiles import SafeWriter
from agora.spaces.models import Space
from agora.statistics import selectors, services
from agora.statistics.forms import ReferenceForm, ReferenceImportForm, SettingsForm, channel_choice
from agora.statistics.kinds import CHANNELS, KINDS
from agora.statistics.models import ReferencePopulation
from agora.taxonomy.models import Scope
from agora.web.access import backoffice_view
from agora.web.views import call_service, done

SMALL = selectors.SMALL_GROUP


def _where(request) -> selectors.Where:
    return selectors.Where(
        request.organization, space=getattr(request, "space", None), component=getattr(request, "component", None)
    )


def _by(request) -> str:
    return "day" if request.GET.get("by") == "day" else "week"


def _rows(pairs) -> list[tuple]:
    """(label, value) pairs as the rows of {% bar_chart %}; a value None is a group too small to show."""
    return [
        (label, value or 0, formats.number(value) if value is not None else _("fewer than %(n)s") % {"n": SMALL})
        for label, value in pairs
    ]


def _dashboard(request, where: selectors.Where, template_context: dict):
    by = _by(request)
    summary = selectors.summary(where)
    districts, district_unknown = selectors.by_district(where)
    periods = selectors.over_time(where, by=by)
    funnel = template_context.pop("funnel", None)
    context = {
        "channel_rows": _rows((label, summary.by_channel.get(code, 0)) for code, label in CHANNELS.items()),
        "contribution_rows": _rows(
            (label, summary.contributions.get(code, 0))
            for code, label in KINDS.items()
            if summary.contributions.get(code)
        ),
        "district_rows": _rows((group.label, group.count) for group in districts),
        "funnel_rows": _rows((step.label, step.count) for step in funnel) if funnel is not None else None,
        "bo_section": "statistics",
        "where": where,
        "space": where.space,
        "component": where.component,
        "summary": summary,
        "channels": [(code, label, summary.by_channel.get(code, 0)) for code, label in CHANNELS.items()],
        "kinds": [
            (code, label, summary.contributions.get(code, 0), summary.by_kind.get(code, 0))
            for code, label in KINDS.items()
            if summary.contributions.get(code) or summary.by_kind.get(code)
        ],
        "districts": districts,
        "district_unknown": district_unknown,
        "periods": periods,
        "by": by,
        "visits": selectors.visits(where) if where.component is None else None,
        "small_group": selectors.SMALL_GROUP,
        **template_context,
    }
    return render(request, "statistics/admin/dashboard.html", context)


@backoffice_view("statistics.view")
def organization_dashboard(request):
    spaces = Space.objects.filter(organization=request.organization).order_by("kind", "weight", "id")
    return _dashboard(
        request,
        selectors.Where(request.organization),
        {
            "title": _("Participation statistics"),
            "spaces": spaces,
            "may_manage": permissions.can(request.user, "statistics.manage", request.organization),
            "settings_form": SettingsForm(
                initial={"public_figures": services.settings_of(request.organization).public_figures}
            ),
        },
    )


@backoffice_view("statistics.view", target="space")
def space_dashboard(request, space_id):
    space = request.space
    return _dashboard(
        request,
        selectors.Where(request.organization, space=space),
        {
            "title": _("Statistics of %(space)s") % {"space": space},
            "tab": "statistics",
            "funnel": selectors.funnel(space),
            "components": space.components.order_by("weight", "id"),
        },
    )


@backoffice_view("statistics.view", target="component")
def component_dashboard(request):
    return _dashboard(
        request,
        selectors.Where(request.organization, space=request.space, component=request.component),
        {"title": _("Statistics of %(component)s") % {"component": request.component}},
    )


def _export(request, where: selectors.Where, name: str) -> HttpResponse:
    """The dashboard's figures as a CSV file: one line per figure (section, item, channel, value)."""
    summary = selectors.summary(where)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["section", "item", "value"])
    writer.writerow(["participants", "all", summary.participants])
    for code, number in summary.by_channel.items():
        writer.writerow(["participants_by_channel", code, number])
    for code, number in summary.by_kind.items():
        writer.writerow(["participants_by_kind", code, number])
    for code, number in sorted(summary.contributions.items()):
        writer.writerow(["contributions_by_kind", code, number])
    for code, number in sorted(summary.contributions_by_channel.items()):
        writer.writerow(["contributions_by_channel", code, number])
    districts, unknown = selectors.by_district(where)
    for group in districts:
        writer.writerow(["participants_by_district", group.label, group.count if group.count is not None else "<10"])
    writer.writerow(["participants_by_district", "unknown", unknown])
    for period in selectors.over_time(where, by=_by(request)):
        for code, number in sorted(period.contributions.items()):
            writer.writerow([f"contributions_{_by(request)}", f"{period.label} {code}", number])
        writer.writerow([f"newcomers_{_by(request)}", period.label, period.newcomers])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistics-{name}-{date.today().isoformat()}.csv"'
    return response


@backoffice_view("statistics.view")
def organization_export(request):
    return _export(request, selectors.Where(request.organization), "organization")


@backoffice_view("statistics.view", target="space")
def space_export(request, space_id):
    return _export(request, selectors.Where(request.organization, space=request.space), f"space-{request.space.pk}")


@backoffice_view("statistics.view", target="component")
def component_export(request):
    where = selectors.Where(request.organization, space=request.space, component=request.component)
    return _export(request, where, f"component-{request.component.pk}")


@backoffice_view("statistics.view", target="space")
def representativeness(request, space_id):
    space = request.space
    channel = channel_choice(request.GET.get("channel"))
    where = selectors.Where(request.organization, space=space)
    return render(
        request,
        "statistics/admin/representativeness.html",
        {
            "bo_section": "statistics",
            "space": space,
            "tab": "statistics",
            "channel": channel,
            "channels": CHANNELS,
            "tables": selectors.representativeness(where, channel=channel),
            "small_group": selectors.SMALL_GROUP,
            "may_manage": permissions.can(request.user, "statistics.manage", request.organization),
        },
    )


@backoffice_view("statistics.view", target="space")
def representativeness_export(request, space_id):
    space = request.space
    channel = channel_choice(request.GET.get("channel"))
    tables = selectors.representativeness(selectors.Where(request.organization, space=space), channel=channel)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["dimension", "group", "participants", "share", "population", "population_share", "index"])
    for table in tables:
        for group in table.groups:
            writer.writerow(
                [
                    table.dimension,
                    group.label,
                    group.participants if group.participants is not None else "<10",
                    f"{group.share:.4f}" if group.share is not None else "",
                    group.population or "",
                    f"{group.population_share:.4f}" if group.population_share is not None else "",
                    f"{group.index:.2f}" if group.index is not None else "",
                ]
            )
        writer.writerow([table.dimension, "not_given", table.unanswered, "", "", "", ""])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="representativeness-space-{space.pk}.csv"'
    return response


def _codes(organization, values) -> list[tuple[str, list[tuple[str, str]]]]:
    """What the CSV file's `value` column holds: a district's code, an age bracket's or a gender's."""
    scopes = {str(scope.pk): scope.code for scope in Scope.objects.filter(organization=organization)}
    result = []
    for dimension, entries in values.items():
        if dimension == ReferencePopulation.Dimension.DISTRICT:
            result.append((dimension, [(scopes.get(pk, ""), label) for pk, label in entries.items()]))
        else:
            result.append((dimension, list(entries.items())))
    return result


@backoffice_view("statistics.manage")
def reference(request):
    organization = request.organization
    values = services.reference_values(organization)
    stored = {
        (row.dimension, row.value): row.population
        for row in ReferencePopulation.objects.filter(organization=organization)
    }
    form = ReferenceForm(request.POST or None, values=values, stored=stored)
    import_form = ReferenceImportForm()
    if request.method == "POST":
        if "file" in request.FILES or request.POST.get("import"):
            import_form = ReferenceImportForm(request.POST, request.FILES)
            form = ReferenceForm(values=values, stored=stored)
            if import_form.is_valid():
                content = import_form.cleaned_data["file"].read()
                result, response = call_service(
                    request, services.import_reference, form=import_form, organization=organization, content=content
                )
                if response is not None:
                    return response
                if result is not None:
                    return done(request, _("The reference population is imported."), "statistics_admin:reference")
        elif form.is_valid():
            result, response = call_service(
                request, services.save_reference, form=form, organization=organization, figures=form.figures()
            )
            if response is not None:
                return response
            if result is not None:
                return done(request, _("The reference population is saved."), "statistics_admin:reference")
    return render(
        request,
        "statistics/admin/reference.html",
        {
            "bo_section": "statistics_reference",
            "form": form,
            "import_form": import_form,
            "codes": _codes(organization, values),
        },
        status=400 if request.method == "POST" else 200,
    )


@backoffice_view("statistics.manage", post_only=True)
def settings(request):
    form = SettingsForm(request.POST)
    form.is_valid()
    _result, response = call_service(
        request,
        services.save_settings,
        organization=request.organization,
        public_figures=bool(form.cleaned_data.get("public_figures")),
    )
    if response is not None:
        return response
    return done(request, _("Your choice of public figures is saved."), "statistics_admin:organization")
