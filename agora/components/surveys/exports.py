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

from django.utils.translation import gettext as _

from agora.components.surveys.models import Response
from agora.core.csvfiles import safe_cell, safe_row
from agora.questionnaires.exports import columns
from agora.questionnaires.models import Answer, Question

Kind = Question.Kind
CHUNK = 500


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
