"""Questionnaires and answers written in bulk, without a person: the demo
seeds, tests and benches. Answers are checked like any others, then written
with a few bulk inserts and one move of the counters."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from agora.questionnaires import answers, selectors
from agora.questionnaires.conditions import visible_ids
from agora.questionnaires.models import AnswerSet, Condition, MatrixRow, Option, Question
from agora.questionnaires.services import _add, _rows_and_counts, insert_answers, move_tallies


def build(questionnaire, items: list[dict]) -> list[Question]:
    """Questions from dicts: {"kind", "title", "help_text", "options": [labels], "other": True (the last
    option asks to specify), "rows": [labels], "conditions": [(index of an earlier item, operator,
    index of its option or None, value or None)], "mode": "all"|"any", and any field of Question}."""
    created: list[Question] = []
    start = Question.objects.filter(questionnaire=questionnaire).count()
    for position, spec in enumerate(items, start=start):
        spec = dict(spec)
        options, rows = spec.pop("options", []), spec.pop("rows", [])
        other, rules, mode = spec.pop("other", False), spec.pop("conditions", []), spec.pop("mode", "all")
        question = Question.objects.create(questionnaire=questionnaire, position=position, condition_mode=mode, **spec)
        for index, label in enumerate(options):
            Option.objects.create(
                question=question, position=index, label=label, free_text=other and index == len(options) - 1
            )
        for index, label in enumerate(rows):
            MatrixRow.objects.create(question=question, position=index, label=label)
        for source_index, operator, option_index, value in rules:
            source = created[source_index]
            option = source.options.get(position=option_index) if option_index is not None else None
            Condition.objects.create(question=question, source=source, operator=operator, option=option, value=value)
        created.append(question)
    return created


@transaction.atomic
def bulk_answers(questionnaire, many_values: list[dict]) -> list[AnswerSet]:
    """Answer sets for these values (each checked: ValidationError on the first refused)."""
    questions = selectors.questions_of(questionnaire)
    by_id = {question.pk: question for question in questions}
    for values in many_values:
        _kept, errors = answers.check(questions, values)
        if errors:
            raise ValidationError([message for messages in errors.values() for message in messages])
    answer_sets = AnswerSet.objects.bulk_create([AnswerSet(questionnaire=questionnaire) for _values in many_values])
    rows: list = []
    deltas: dict = {}
    for answer_set, values in zip(answer_sets, many_values):
        for pk, value in values.items():
            question_rows, counts = _rows_and_counts(by_id[pk], value, answer_set)
            rows += question_rows
            _add(deltas, pk, counts, +1)
    insert_answers(rows)
    move_tallies(deltas)
    return answer_sets


def _weighted(rng, items, skew=0.6):
    """An item, earlier ones more likely (results that do not look uniform)."""
    weights = [skew**index + 0.15 for index in range(len(items))]
    return rng.choices(items, weights=weights)[0]


def random_values(questions, rng, *, texts: dict | None = None, skip=0.1) -> dict:
    """Plausible answers to `questions` (conditions honoured): for demos and
    benches. `texts`: {question id: [texts to pick from]}."""
    Kind = Question.Kind
    values: dict = {}
    for question in questions:
        if question.is_layout or question.pk not in visible_ids(questions, values):
            continue
        if not question.mandatory and rng.random() < skip:
            continue
        options = list(question.options.all())
        kind = question.kind
        if kind in Question.TEXT_KINDS:
            pool = (texts or {}).get(question.pk)
            if not pool:
                continue
            values[question.pk] = rng.choice(pool)
        elif kind == Kind.SINGLE:
            option = _weighted(rng, options)
            values[question.pk] = {"option": option.pk, "other": "Autre réponse" if option.free_text else ""}
        elif kind == Kind.MULTIPLE:
            most = min(question.max_choices or len(options), len(options))
            count = rng.randint(max(question.min_choices or 1, 1), most)
            chosen: list = []
            while len(chosen) < count:
                option = _weighted(rng, options, 0.75)
                if option.pk not in chosen:
                    chosen.append(option.pk)
            free = any(o.free_text and o.pk in chosen for o in options)
            values[question.pk] = {"options": chosen, "other": "Autre réponse" if free else ""}
        elif kind == Kind.RANKING:
            order = sorted(options, key=lambda o: rng.random() * (1 + o.position * 0.6))
            values[question.pk] = [o.pk for o in order]
        elif question.is_matrix:
            values[question.pk] = {row.pk: [_weighted(rng, options, 0.7).pk] for row in question.rows.all()}
        elif kind == Kind.SCALE:
            steps = question.scale_values()
            values[question.pk] = _weighted(rng, list(reversed(steps)), 0.7)
        elif kind == Kind.NUMBER:
            low = int(question.number_min if question.number_min is not None else 0)
            high = int(question.number_max if question.number_max is not None else 100)
            values[question.pk] = Decimal(min(high, low + int(rng.expovariate(1 / max(1, (high - low) / 6)))))
        elif kind == Kind.DATE:
            start = question.date_min or date(2026, 1, 1)
            end = question.date_max or start + timedelta(days=365)
            values[question.pk] = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
    return values
