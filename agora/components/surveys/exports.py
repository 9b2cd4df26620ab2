"""Exports of every answer: one row per response, one column per question.

Flattening (docs/surveys.md, "Exports"): a single choice is the option's
label; a multiple choice is one column per option (1 chosen, 0 not); a
ranking is one column per option with its place (empty: not ranked); a
matrix is one column per row with the option(s) chosen ("; " between
several); "Other, please specify" adds a column with the text; a file is its
stored name. Responses are read by chunks of 500 in id order (keyset), with
their answers in one query per chunk, and written as they are read: the
memory used does not grow with the number of responses."""

import csv
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from agora.components.surveys.models import Response
from agora.core.csvfiles import safe_cell, safe_row
from agora.core.translations import translated
from agora.questionnaires.models import Answer, Question

Kind = Question.Kind
CHUNK = 500


def _plain(number):
    if number is None:
        return ""
    return f"{Decimal(number).normalize():f}"


def columns(questions) -> list:
    """(header, function(answers of the question in one response) -> cell) per column."""
    found: list[tuple[str, Callable[..., Any]]] = []
    number = 0
    for question in questions:
        if question.is_layout:
            continue
        number += 1
        title = f"Q{number} {translated(question.title)}"
        pk = question.pk
        options = list(question.options.all())
        labels = {option.pk: translated(option.label) for option in options}
        kind = question.kind

        def pick(question_id=pk):
            return lambda rows: rows.get(question_id, [])

        get = pick()
        if kind in Question.TEXT_KINDS:
            found.append((title, lambda rows, get=get: next((a[4] for a in get(rows)), "")))
        elif kind == Kind.SINGLE:
            found.append(
                (title, lambda rows, get=get, labels=labels: next((labels.get(a[2], "") for a in get(rows)), ""))
            )
        elif kind == Kind.MULTIPLE:
            for option in options:
                found.append(
                    (
                        f"{title} — {labels[option.pk]}",
                        lambda rows, get=get, o=option.pk: (
                            (1 if any(a[2] == o for a in get(rows)) else 0) if get(rows) else ""
                        ),
                    )
                )
        elif kind == Kind.RANKING:
            for option in options:
                found.append(
                    (
                        f"{title} — {labels[option.pk]}",
                        lambda rows, get=get, o=option.pk: next((a[7] for a in get(rows) if a[2] == o), ""),
                    )
                )
        elif question.is_matrix:
            for row in question.rows.all():
                found.append(
                    (
                        f"{title} — {translated(row.label)}",
                        lambda rows, get=get, r=row.pk, labels=labels: "; ".join(
                            labels.get(a[2], "") for a in get(rows) if a[3] == r
                        ),
                    )
                )
        elif kind in (Kind.SCALE, Kind.NUMBER):
            found.append((title, lambda rows, get=get: next((_plain(a[5]) for a in get(rows)), "")))
        elif kind == Kind.DATE:
            found.append((title, lambda rows, get=get: next((a[6].isoformat() for a in get(rows) if a[6]), "")))
        elif kind == Kind.FILE:
            found.append((title, lambda rows, get=get: next((a[8].rsplit("/", 1)[-1] for a in get(rows) if a[8]), "")))
        if any(option.free_text for option in options):
            found.append(
                (f"{title} — {_('specified')}", lambda rows, get=get: next((a[4] for a in get(rows) if a[4]), ""))
            )
    return found


HEADERS = ("response", "created_at", "updated_at", "channel", "reference")


def header(questions) -> list:
    return [*HEADERS, *(name for name, _function in columns(questions))]


def rows(survey, questions, progress=None):
    """The rows of the export, read by chunks (`progress(rows so far)` after each)."""
    spec = columns(questions)
    last, done = 0, 0
    while True:
        chunk = list(
            Response.objects.filter(survey=survey, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "answer_set_id", "created_at", "updated_at", "channel", "reference")[:CHUNK]
        )
        if not chunk:
            return
        answers: dict = {}
        for answer in (
            Answer.objects.filter(answer_set_id__in=[r[1] for r in chunk])
            .order_by("id")
            .values_list(
                "answer_set_id", "question_id", "option_id", "row_id", "text", "number", "date", "rank", "file"
            )
        ):
            answers.setdefault(answer[0], {}).setdefault(answer[1], []).append(answer)
        for pk, answer_set_id, created_at, updated_at, channel, reference in chunk:
            given = answers.get(answer_set_id, {})
            yield [
                pk,
                created_at.isoformat(),
                updated_at.isoformat(),
                channel,
                reference,
                *(function(given) for _name, function in spec),
            ]
        last, done = chunk[-1][0], done + len(chunk)
        if progress:
            progress(done)


class Echo:
    def write(self, value):
        return value


def csv_lines(survey, questions, progress=None):
    writer = csv.writer(Echo())
    yield "\ufeff"
    yield writer.writerow(safe_row(header(questions)))
    for row in rows(survey, questions, progress):
        yield writer.writerow(safe_row(row))


def json_chunks(survey, questions, progress=None):
    names = header(questions)
    yield '{"columns": ' + json.dumps(names, ensure_ascii=False) + ', "responses": ['
    first = True
    for row in rows(survey, questions, progress):
        yield ("" if first else ",\n") + json.dumps(dict(zip(names, row)), ensure_ascii=False, default=str)
        first = False
    yield "]}\n"


def xlsx_file(survey, questions, path, progress=None):
    """An XLSX workbook written row by row (openpyxl's write-only mode) to `path`."""
    from openpyxl import Workbook  # local: slow to import, and only XLSX exports need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Answers")[:31])
    sheet.append([safe_cell(name) for name in header(questions)])
    for row in rows(survey, questions, progress):
        sheet.append([safe_cell(value) for value in row])
    workbook.save(path)
