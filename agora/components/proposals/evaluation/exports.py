"""Exports of ideas to CSV, JSON and XLSX.

Public exports (the manifest's `exports`, open data): published and
withdrawn ideas only, never one moderation hid, the PUBLISHED answer and
state, public custom fields only, never an e-mail address. Staff exports
(back-office): also the working answer, the evaluation summary, confidential
custom fields and the author's e-mail, and they say so in the file name, the
headers and the content; they keep hidden ideas, flagged in their own
column, so the services can still answer them.

CSV and XLSX cells that a spreadsheet would read as a formula (starting with
= + - @, a tab or a carriage return) are prefixed with an apostrophe
(agora.core.csvfiles.safe_cell, the guard of every export)."""

import json

import tablib
from django.http import HttpResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from agora.comments.selectors import comment_counts
from agora.components.proposals.evaluation import selectors
from agora.components.proposals.models import CustomField, Proposal
from agora.core.csvfiles import safe_row
from agora.core.translations import translated

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _text(value) -> str:
    return strip_tags(translated(value)).strip() if value else ""


def _custom_value(custom_field, value):
    if value is None or value == "":
        return ""
    if custom_field.kind == CustomField.Kind.CHOICE:
        for choice in custom_field.choices or []:
            if choice.get("value") == value:
                return translated(choice.get("label")) or value
    if custom_field.kind == CustomField.Kind.CHECKBOX:
        return _("yes") if value in (True, "true", "on", "1", 1) else _("no")
    return value


def export_rows(component, *, staff: bool) -> tuple[list[str], list[list], list[dict]]:
    """(headers, rows for CSV/XLSX, records for JSON)."""
    organization = component.space.organization
    fields = [f for f in selectors.custom_fields(component) if staff or not f.confidential]
    queryset = (
        Proposal.objects.filter(component=component)
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("author", "category", "scope", "state", "published_state")
        .order_by("pk")
    )
    queryset = queryset.with_hidden_flag() if staff else queryset.visible()
    proposals = list(queryset)

    comments = comment_counts(Proposal, [p.pk for p in proposals])
    if staff:
        summaries = selectors.summaries([p.pk for p in proposals])
        assigned = selectors.assignments_by_proposal([p.pk for p in proposals])
    headers = [
        "id",
        "reference",
        "title",
        "body",
        "status",
        "author",
        "official",
        "channel",
        "category",
        "scope",
        "address",
        "latitude",
        "longitude",
        "supports",
        "comments",
        "published_at",
        "withdrawn_at",
        "state",
        "answer",
        "answer_published_at",
        "url",
    ]
    if staff:
        headers += [
            "hidden_by_moderation (confidential)",
            "author_email (confidential)",
            "working_state (confidential)",
            "working_answer (confidential)",
            "evaluators (confidential)",
            "average_score (confidential)",
            "estimated_cost_eur (confidential)",
        ]
    for custom_field in fields:
        headers.append(f"{custom_field.key} (confidential)" if custom_field.confidential else custom_field.key)
    rows, records = [], []
    for proposal in proposals:
        proposal.component = component
        author = organization.name if proposal.official else proposal.byline
        try:
            url = proposal.get_absolute_url()
        except Exception:  # noqa: BLE001 - the public pages may not be mounted (tests of this app alone)
            url = ""
        record = {
            "id": proposal.pk,
            "reference": proposal.reference,
            "title": proposal.title,
            "body": strip_tags(proposal.body).strip(),
            "status": proposal.status,
            "author": author,
            "official": proposal.official,
            "channel": proposal.channel,
            "category": translated(proposal.category.name) if proposal.category else "",
            "scope": translated(proposal.scope.name) if proposal.scope else "",
            "address": proposal.address,
            "latitude": float(proposal.latitude) if proposal.latitude is not None else None,
            "longitude": float(proposal.longitude) if proposal.longitude is not None else None,
            "supports": proposal.supports_count,
            "comments": comments.get(proposal.pk, 0),
            "published_at": proposal.published_at.isoformat() if proposal.published_at else None,
            "withdrawn_at": proposal.withdrawn_at.isoformat() if proposal.withdrawn_at else None,
            "state": str(proposal.published_state) if proposal.published_state else "",
            "answer": _text(proposal.published_answer),
            "answer_published_at": proposal.answer_published_at.isoformat() if proposal.answer_published_at else None,
            "url": url,
        }
        if staff:
            summary = summaries[proposal.pk]
            record.update(
                {
                    "hidden_by_moderation (confidential)": proposal.is_hidden,
                    "author_email (confidential)": proposal.author.email if proposal.author else "",
                    "working_state (confidential)": str(proposal.state) if proposal.state else "",
                    "working_answer (confidential)": _text(proposal.answer),
                    "evaluators (confidential)": ", ".join(p.public_name for p in assigned.get(proposal.pk, [])),
                    "average_score (confidential)": float(summary["score"]) if summary["score"] is not None else None,
                    "estimated_cost_eur (confidential)": float(summary["cost"])
                    if summary["cost"] is not None
                    else None,
                }
            )
        values = proposal.custom_values or {}
        for custom_field in fields:
            name = f"{custom_field.key} (confidential)" if custom_field.confidential else custom_field.key
            record[name] = _custom_value(custom_field, values.get(custom_field.key))
        records.append(record)
        rows.append(safe_row(record[h] for h in headers))
    return headers, rows, records


def _filename(component, extension, staff):
    return f"ideas-{component.pk}{'-staff-confidential' if staff else ''}.{extension}"


def _response(content, export_format, component, staff):
    response = HttpResponse(content, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{_filename(component, export_format, staff)}"'
    response["X-Content-Type-Options"] = "nosniff"
    if staff:
        response["Cache-Control"] = "private, no-store"
    return response


def render(component, export_format: str, *, staff: bool) -> tuple[HttpResponse, int]:
    headers, rows, records = export_rows(component, staff=staff)
    if export_format == "json":
        payload = {
            "component": {"id": component.pk, "name": translated(component.name)},
            "confidential": staff,
            "notice": (
                _(
                    "Staff export: contains confidential data (e-mails, confidential fields, working "
                    "answers, evaluations) and ideas hidden by moderation (flagged). Do not publish."
                )
                if staff
                else ""
            ),
            "ideas": records,
        }
        content = json.dumps(payload, ensure_ascii=False, indent=2, default=str)
    else:
        dataset = tablib.Dataset(*rows, headers=headers, title=_("Staff - confidential") if staff else _("Ideas"))
        content = dataset.export(export_format)
        if export_format == "csv":
            content = "\ufeff" + content  # spreadsheets open UTF-8 correctly with the BOM
    return _response(content, export_format, component, staff), len(records)


def public_csv(component):
    return render(component, "csv", staff=False)[0]


def public_json(component):
    return render(component, "json", staff=False)[0]


def public_xlsx(component):
    return render(component, "xlsx", staff=False)[0]


# The columns of the public export that the open-data table "ideas" publishes (the
# public custom fields, which change from one component to another, are left out).
IDEA_COLUMNS = (
    "id",
    "reference",
    "title",
    "body",
    "status",
    "author",
    "official",
    "channel",
    "category",
    "scope",
    "address",
    "latitude",
    "longitude",
    "supports",
    "comments",
    "published_at",
    "withdrawn_at",
    "state",
    "answer",
    "answer_published_at",
    "url",
)


def open_data_ideas(component):
    """The public ideas of a public component, as the public export gives them
    (no draft, nothing moderation hid, no confidential field)."""
    if not component.is_public:
        return
    _headers, _rows, records = export_rows(component, staff=False)
    for record in records:
        yield {name: record[name] for name in IDEA_COLUMNS}
