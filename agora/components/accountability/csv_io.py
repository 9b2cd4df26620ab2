"""CSV export and import of results, for the services' own tracking tools.

The export has one line per result (sub-results after their parent) with
the columns below; cells that a spreadsheet would run as a formula are
prefixed with an apostrophe. The import reads the same columns (extra ones,
such as id and url, are ignored): results are matched by `reference`, so
importing the exported file again after editing it in a spreadsheet updates
the results. Every line is checked first; if one is wrong nothing is
imported and the error lists the line numbers and reasons.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from agora.actionlog.services import log_action
from agora.components.accountability import services
from agora.components.accountability.models import Result, Status
from agora.components.accountability.progress import clamp, parent_progress
from agora.components.proposals import api as proposals_api
from agora.core.csvfiles import CsvImportError, open_reader, safe_cell
from agora.core.numbers import parse_id
from agora.core.sanitize import clean_html
from agora.permissions import require
from agora.taxonomy.models import Category, Scope

COLUMNS = [
    "reference",
    "parent_reference",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "status",
    "progress",
    "start_date",
    "end_date",
    "category",
    "scope_code",
    "address",
    "latitude",
    "longitude",
    "idea_ids",
]
EXPORT_COLUMNS = ["id", *COLUMNS, "url"]
REQUIRED = ["reference", "title_fr", "title_en"]


def _ordered(component):
    results = list(
        Result.objects.filter(component=component)
        .select_related("status", "category", "scope", "parent")
        .prefetch_related("proposals")
        .order_by("weight", "id")
    )
    children = {}
    for result in results:
        children.setdefault(result.parent_id, []).append(result)
    ordered, stack = [], list(reversed(children.get(None, [])))
    while stack:
        result = stack.pop()
        ordered.append(result)
        stack.extend(reversed(children.get(result.pk, [])))
    return ordered


def export_rows(component, request=None):
    for result in _ordered(component):
        result.component = component
        url = result.get_absolute_url()
        yield {
            "id": result.pk,
            "reference": result.reference,
            "parent_reference": (result.parent.reference or f"#{result.parent_id}") if result.parent_id else "",
            "title_fr": result.title.get("fr", ""),
            "title_en": result.title.get("en", ""),
            "description_fr": result.description.get("fr", ""),
            "description_en": result.description.get("en", ""),
            "status": result.status.token if result.status else "",
            "progress": f"{result.progress:.2f}",
            "start_date": result.start_date.isoformat() if result.start_date else "",
            "end_date": result.end_date.isoformat() if result.end_date else "",
            "category": (result.category.name.get("fr") or next(iter(result.category.name.values()), ""))
            if result.category
            else "",
            "scope_code": result.scope.code if result.scope else "",
            "address": result.address,
            "latitude": "" if result.latitude is None else str(result.latitude),
            "longitude": "" if result.longitude is None else str(result.longitude),
            "idea_ids": " ".join(str(p.pk) for p in result.proposals.all()),
            "url": request.build_absolute_uri(url) if request is not None else url,
        }


def export_csv_header() -> str:
    return "\ufeff" + ",".join(EXPORT_COLUMNS) + "\r\n"


def export_csv(component, request=None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in export_rows(component, request):
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return "\ufeff" + buffer.getvalue()  # the BOM makes spreadsheets read UTF-8


# --- import -------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0


class ResultImportError(CsvImportError):
    """The results file was refused; `errors` lists (line number, reason)."""


def _read_rows(data):
    reader, header = open_reader(data, ResultImportError)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ResultImportError(
            [
                (
                    1,
                    _("Missing columns: %(columns)s. The first line must name at least: %(expected)s.")
                    % {"columns": ", ".join(missing), "expected": ",".join(REQUIRED)},
                )
            ]
        )
    reader.fieldnames = header
    for row in reader:
        # Undo the export's formula guard.
        yield reader.line_num, {key: (value or "").strip().removeprefix("'") for key, value in row.items() if key}


def _parse_date(text):
    return date.fromisoformat(text) if text else None


def _parse_decimal(text, low, high):
    if not text:
        return None
    value = Decimal(text.replace(",", "."))
    if not value.is_finite() or value < low or value > high:
        raise ValueError
    return value


def _categories_by_name(organization):
    found = {}
    for category in Category.objects.filter(organization=organization):
        for text in (category.name or {}).values():
            if text:
                found.setdefault(text.strip().lower(), category)
        found.setdefault(str(category.pk), category)
    return found


def import_csv(*, actor, component, data) -> ImportReport:
    """Create or update results from CSV (see COLUMNS); all or nothing."""
    require(actor, services.MANAGE, component)
    organization = component.space.organization
    statuses = {status.token: status for status in Status.objects.filter(component=component)}
    categories = _categories_by_name(organization)
    scopes = {scope.code: scope for scope in Scope.objects.filter(organization=organization)}
    all_results = {r.pk: r for r in Result.objects.filter(component=component).select_related("parent")}
    by_reference = {r.reference: r for r in all_results.values() if r.reference}
    ideas = proposals_api.idea_ids(organization=organization)
    errors: list = []
    rows: list = []
    seen: dict = {}
    seen_targets: dict = {}
    for line, row in _read_rows(data):
        if not any(row.values()):
            continue
        problems: list = []
        parsed: dict[str, Any] = {}
        reference, row_id = row.get("reference", ""), row.get("id", "")
        target: Result | None = None
        if row_id:
            wanted_id = parse_id(row_id)
            if wanted_id is None or wanted_id not in all_results:
                problems.append(_("unknown result id %(id)s (leave the id empty for a new result)") % {"id": row_id})
            else:
                target = all_results[wanted_id]
        if reference and len(reference) > 40:
            problems.append(_("the reference is longer than %(max)s characters") % {"max": 40})
        elif reference and reference in by_reference and target is not None and by_reference[reference] != target:
            problems.append(_("the reference %(reference)s belongs to another result") % {"reference": reference})
        if target is None and reference:
            target = by_reference.get(reference)
        key = reference or (f"#{row_id}" if row_id else "")
        if not key:
            problems.append(_("the reference is empty"))
        elif key in seen or (target is not None and target.pk in seen_targets):
            problems.append(
                _("this result is already on line %(line)s")
                % {"line": seen.get(key) or (seen_targets.get(target.pk) if target is not None else "")}
            )
        else:
            seen[key] = line
            if target is not None:
                seen_targets[target.pk] = line
        parsed["target"] = target
        parsed["reference"] = reference or (target.reference if target is not None else "")
        parsed["title"] = {code: row[f"title_{code}"] for code in ("fr", "en") if row.get(f"title_{code}")}
        if not parsed["title"]:
            problems.append(_("a title (title_fr or title_en) is required"))
        parsed["description"] = {
            code: clean_html(row[f"description_{code}"]) for code in ("fr", "en") if row.get(f"description_{code}")
        }
        token = row.get("status", "")
        if token and token not in statuses:
            problems.append(
                _("unknown status “%(status)s” (use the code of a status of this component)") % {"status": token}
            )
        parsed["status"] = statuses.get(token)
        try:
            parsed["progress"] = _parse_decimal(row.get("progress", "").rstrip("%").strip(), 0, 100)
        except (InvalidOperation, ValueError):
            problems.append(_("the progress must be a number between 0 and 100"))
        for name in ("start_date", "end_date"):
            try:
                parsed[name] = _parse_date(row.get(name, ""))
            except ValueError:
                problems.append(_("%(column)s must be a date written YYYY-MM-DD") % {"column": name})
        if parsed.get("start_date") and parsed.get("end_date") and parsed["end_date"] < parsed["start_date"]:
            problems.append(_("the end date is before the start date"))
        category_name = row.get("category", "")
        if category_name and category_name.lower() not in categories:
            problems.append(_("unknown category “%(category)s”") % {"category": category_name})
        parsed["category"] = categories.get(category_name.lower()) if category_name else None
        scope_code = row.get("scope_code", "")
        if scope_code and scope_code not in scopes:
            problems.append(_("unknown scope code %(code)s") % {"code": scope_code})
        parsed["scope"] = scopes.get(scope_code)
        for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            try:
                parsed[name] = _parse_decimal(row.get(name, ""), low, high)
            except (InvalidOperation, ValueError):
                problems.append(
                    _("%(column)s must be a number between %(low)s and %(high)s")
                    % {"column": name, "low": low, "high": high}
                )
        parsed["address"] = row.get("address", "")[:300]
        idea_ids = []
        for text in row.get("idea_ids", "").replace(",", " ").split():
            if parse_id(text) not in ideas:
                problems.append(_("unknown idea number %(id)s") % {"id": text})
            else:
                idea_ids.append(parse_id(text))
        parsed["idea_ids"] = idea_ids
        parsed["parent_reference"] = row.get("parent_reference", "")
        if problems:
            errors.append((line, "; ".join(problems)))
        rows.append((line, key, parsed))

    def key_of(result):
        return result.reference or f"#{result.pk}"

    parents = {key_of(r): (key_of(all_results[r.parent_id]) if r.parent_id else "") for r in all_results.values()}
    keys = set(parents)
    for line, key, parsed in rows:
        parent_key = parsed["parent_reference"]
        if parent_key and parent_key not in seen and parent_key not in keys:
            errors.append(
                (
                    line,
                    _("the parent reference %(reference)s is neither in the file nor among the results")
                    % {"reference": parent_key},
                )
            )
        target = parsed["target"]
        if target is not None:
            parents.pop(key_of(target), None)
        if key:
            parents[key] = parent_key
    for line, key, parsed in rows:
        chain, current = set(), key
        while current and current not in chain:
            chain.add(current)
            current = parents.get(current)
        if current:
            errors.append((line, _("the parents form a loop (%(reference)s)") % {"reference": current}))
    if not rows and not errors:
        errors.append((1, _("The file has no result.")))
    if errors:
        raise ResultImportError(sorted(errors))
    return _write(actor, component, rows, all_results)


@transaction.atomic
def _write(actor, component, rows, all_results) -> ImportReport:
    report = ImportReport()
    locked = {
        r.pk: r
        for r in Result.objects.select_for_update(of=("self",)).filter(component=component).select_related("status")
    }
    by_key = {(r.reference or f"#{r.pk}"): r for r in locked.values()}
    touched: dict = {}
    status_changes: list = []
    for _line, key, parsed in rows:
        result = locked.get(parsed["target"].pk) if parsed["target"] is not None else None
        values = {
            name: parsed[name]
            for name in (
                "title",
                "description",
                "status",
                "category",
                "scope",
                "address",
                "latitude",
                "longitude",
                "start_date",
                "end_date",
                "reference",
            )
        }
        if result is None:
            result = Result(component=component, weight=len(touched))
            report.created += 1
            old_status = None
        else:
            report.updated += 1
            old_status = result.status
        for name, value in values.items():
            setattr(result, name, value)
        if parsed["progress"] is not None:
            result.progress = clamp(parsed["progress"])
        elif (
            parsed["status"] is not None
            and parsed["status"].progress is not None
            and (old_status is None or old_status.pk != parsed["status"].pk)
        ):
            result.progress = clamp(parsed["status"].progress)
        result.save()
        if parsed["idea_ids"]:
            result.proposals.set(parsed["idea_ids"])
        touched[key] = result
        if old_status is not None and parsed["status"] is not None and old_status.pk != parsed["status"].pk:
            status_changes.append((result, old_status, parsed["status"]))
    for _line, key, parsed in rows:
        parent_key = parsed["parent_reference"]
        parent = touched.get(parent_key) or by_key.get(parent_key) if parent_key else None
        result = touched[key]
        if (parent.pk if parent else None) != result.parent_id:
            Result.objects.filter(pk=result.pk).update(parent=parent)
    recompute_component(component)
    for result, old_status, new_status in status_changes:
        result.component = component
        services._status_changed(actor, result, old_status, new_status)
    log_action(
        actor=actor,
        verb="accountability.csv_imported",
        target=component,
        organization=component.space.organization,
        space=component.space,
        component=component,
        data={"created": report.created, "updated": report.updated},
    )
    return report


def recompute_component(component) -> int:
    """Set every parent of the component to the mean of its children,
    deepest first. Returns how many changed."""
    results = {
        pk: (parent_id, progress)
        for pk, parent_id, progress in Result.objects.select_for_update()
        .filter(component=component)
        .values_list("pk", "parent_id", "progress")
    }
    children: dict[int | None, list[int]] = {}
    for pk, (parent_id, _progress) in results.items():
        children.setdefault(parent_id, []).append(pk)
    progress: dict[int, Decimal | None] = {pk: value for pk, (_parent, value) in results.items()}

    def depth(pk):
        level = 0
        while results[pk][0] is not None and level < len(results):
            pk, level = results[pk][0], level + 1
        return level

    changed = 0
    for pk in sorted((pk for pk in results if pk in children), key=depth, reverse=True):
        value = parent_progress(progress[child] for child in children[pk])
        if value != progress[pk]:
            progress[pk] = value
            Result.objects.filter(pk=pk).update(progress=value)
            changed += 1
    return changed
