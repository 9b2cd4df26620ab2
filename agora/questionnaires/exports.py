"""Answers to a questionnaire as spreadsheet columns, for the components that
export them (surveys: one row per response; meetings: the registration form's
answers in the registrations' CSV).

Flattening (docs/surveys.md, "Exports"): a single choice is the option's
label; a multiple choice is one column per option (1 chosen, 0 not); a
ranking is one column per option with its place (empty: not ranked); a
matrix is one column per row with the option(s) chosen ("; " between
several); "Other, please specify" adds a column with the text; a file is its
stored name. The cells are values: the caller writes them through
agora.core.csvfiles (safe_row), which guards formulas."""

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from agora.core.translations import translated
from agora.questionnaires.models import Answer, Question

Kind = Question.Kind
# What `answers_of` reads of each answer, and what the columns' functions receive.
ANSWER_FIELDS = ("answer_set_id", "question_id", "option_id", "row_id", "text", "number", "date", "rank", "file")


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


def answers_of(answer_set_ids: Iterable[int]) -> dict[int, dict[int, list[tuple]]]:
    """{answer set id: {question id: [answer tuples (ANSWER_FIELDS)]}}, in one query."""
    found: dict[int, dict[int, list[tuple]]] = {}
    ids = [pk for pk in answer_set_ids if pk is not None]
    if not ids:
        return found
    for answer in Answer.objects.filter(answer_set_id__in=ids).order_by("id").values_list(*ANSWER_FIELDS):
        found.setdefault(answer[0], {}).setdefault(answer[1], []).append(answer)
    return found
