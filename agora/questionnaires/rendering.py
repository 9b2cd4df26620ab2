"""What the templates of a questionnaire page need, computed once: each
question with its inputs' ids, what was typed, its errors and its conditions.

A question whose conditions only name questions of earlier pages is shown or
left out by the server; one that depends on a question of the same page is
shown with its condition in words, and the page's script hides it while the
condition does not hold (without JavaScript it stays visible, and the server
drops its answer if the condition turns out false)."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from agora.core.formats import long_date
from agora.core.translations import translated
from agora.questionnaires import answers, conditions
from agora.questionnaires.models import Question

Kind = Question.Kind


@dataclass
class Choice:
    value: str
    label: str
    input_id: str
    checked: bool = False
    free_text: bool = False


@dataclass
class Item:
    question: Question
    number: int | None  # the question's number among those that take an answer
    errors: list = field(default_factory=list)
    value: str = ""
    other: str = ""
    choices: list = field(default_factory=list)  # options, scale values
    rows: list = field(default_factory=list)  # matrix: (row id, label, header id, [Choice])
    places: list = field(default_factory=list)  # ranking: (option label, select id, field name, place)
    stored_file: bool = False
    condition_text: str = ""
    condition_data: dict | None = None

    @property
    def pk(self):
        return self.question.pk

    @property
    def name(self):
        return f"q{self.question.pk}"

    @property
    def input_id(self):
        return f"id_q{self.question.pk}"

    @property
    def field_id(self):
        return answers.first_field_id(self.question)

    @property
    def described_by(self) -> str:
        ids = []
        if translated(self.question.help_text) or self.condition_text:
            ids.append(f"q{self.question.pk}-help")
        if self.errors:
            ids.append(f"q{self.question.pk}-error")
        return " ".join(ids)

    @property
    def condition_json(self) -> str:
        return json.dumps(self.condition_data) if self.condition_data else ""

    @property
    def template(self):
        return f"questionnaires/types/{self.question.kind}.html"


def _numbers(questions) -> dict:
    numbers, count = {}, 0
    for question in questions:
        if not question.is_layout:
            count += 1
            numbers[question.pk] = count
    return numbers


def item(question, raw, stored, errors, number, condition_text="", condition_data=None) -> Item:
    prefix = f"q{question.pk}"
    given = raw.get(prefix) or []
    found = Item(
        question,
        number,
        errors=errors.get(question.pk, []),
        condition_text=condition_text,
        condition_data=condition_data,
    )
    kind = question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT, Kind.NUMBER, Kind.DATE):
        found.value = given[-1] if given else ""
    elif kind in (Kind.SINGLE, Kind.MULTIPLE):
        found.other = (raw.get(f"{prefix}_other") or [""])[-1]
        found.choices = [
            Choice(
                str(option.pk),
                translated(option.label),
                f"id_{prefix}_{option.pk}",
                str(option.pk) in given,
                option.free_text,
            )
            for option in question.options.all()
        ]
    elif kind == Kind.SCALE:
        found.choices = [
            Choice(str(value), str(value), f"id_{prefix}_{value}", str(value) in given)
            for value in question.scale_values()
        ]
    elif kind == Kind.RANKING:
        for option in question.options.all():
            name = f"{prefix}_o{option.pk}"
            found.places.append((translated(option.label), f"id_{name}", name, (raw.get(name) or [""])[-1]))
    elif question.is_matrix:
        options = list(question.options.all())
        for row in question.rows.all():
            name = f"{prefix}_r{row.pk}"
            chosen = raw.get(name) or []
            found.rows.append(
                (
                    name,
                    translated(row.label),
                    f"{prefix}-row-{row.pk}",
                    [
                        Choice(
                            str(option.pk),
                            translated(option.label),
                            f"id_{prefix}_r{row.pk}_{option.pk}",
                            str(option.pk) in chosen,
                        )
                        for option in options
                    ],
                )
            )
    elif kind == Kind.FILE:
        found.stored_file = question.pk in stored
    return found


def page_items(all_questions, page, raw, stored, errors, values) -> list[Item]:
    """The items of one page: `values` are the answers known so far (all pages)."""
    numbers = _numbers(all_questions)
    by_id = {question.pk: question for question in all_questions}
    on_page = {question.pk for question in page}
    visible = conditions.visible_ids(all_questions, values)
    items = []
    for question in page:
        own = list(question.conditions.all())
        same_page = any(condition.source_id in on_page for condition in own)
        if own and not same_page and question.pk not in visible:
            continue  # decided by earlier pages: not asked
        text = ""
        if own:
            parts = [conditions.describe(condition, by_id) for condition in own]
            text = " ; ".join(parts) if question.condition_mode == "all" else " | ".join(parts)
        items.append(
            item(
                question,
                raw,
                stored,
                errors,
                numbers.get(question.pk),
                text,
                conditions.as_data(question) if same_page else None,
            )
        )
    return items


def known_answers(questions, values) -> dict:
    """What the page's script needs to know of the answers of other pages:
    {question id: {"options": [ids], "number": n}} for the questions answered."""
    by_id = {question.pk: question for question in questions}
    known = {}
    for pk, value in values.items():
        question = by_id.get(pk)
        if question is None:
            continue
        number = value if question.kind in (Kind.NUMBER, Kind.SCALE) else None
        known[str(pk)] = {
            "options": sorted(conditions.chosen_options(question, value)),
            "number": float(number) if number is not None else None,
        }
    return known


def readable(question, value) -> str:
    """An answer in words (review page, exports)."""
    if value is None:
        return ""
    kind = question.kind
    labels = {option.pk: translated(option.label) for option in question.options.all()}
    if kind in Question.TEXT_KINDS:
        return value
    if kind == Kind.SINGLE:
        label = labels.get(value["option"], "")
        return f"{label}: {value['other']}" if value.get("other") else label
    if kind == Kind.MULTIPLE:
        text = ", ".join(labels.get(option, "") for option in value["options"])
        return f"{text} ({value['other']})" if value.get("other") else text
    if kind == Kind.RANKING:
        return ", ".join(f"{place}. {labels.get(option, '')}" for place, option in enumerate(value, start=1))
    if question.is_matrix:
        rows = {row.pk: translated(row.label) for row in question.rows.all()}
        return "; ".join(
            f"{rows.get(row, '')}: {', '.join(labels.get(o, '') for o in options)}" for row, options in value.items()
        )
    if kind in (Kind.SCALE, Kind.NUMBER):
        return f"{Decimal(value).normalize():f}"
    if kind == Kind.DATE:
        return long_date(value)
    if kind == Kind.FILE:
        return getattr(value, "name", "").rsplit("/", 1)[-1]
    return ""
