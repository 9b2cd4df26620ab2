"""Every write of the questionnaires.

Building (officers): each function asks `questionnaires.manage` (the owner
decides), runs in one transaction, moves the questionnaire's version and
writes the action log. Once a questionnaire has answers, what would corrupt
them is refused (a question's type, its options and rows, its scale, deleting
it); texts stay editable.

Answering (`save_answers`): called by the owner's service inside its own
transaction, after the owner's permission check. The values are checked here
(conditions evaluated on the server; a hidden question's answer refused), the
answers are written and the counters of the results moved, all or nothing.
"""

import random
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Max, Model
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.services import log_action
from agora.core.files import delete_file_after_commit
from agora.core.models import Organization
from agora.core.translations import translated
from agora.permissions import require
from agora.questionnaires import answers as answer_values
from agora.questionnaires import selectors
from agora.questionnaires.models import (
    TALLY_SHARDS,
    Answer,
    AnswerSet,
    Condition,
    MatrixRow,
    Option,
    Question,
    Questionnaire,
    Tally,
)
from agora.questionnaires.owners import owner_of

Kind = Question.Kind
# Options or matrix rows as an officer gives them: (id or None, label dict[, free text]).
Choices = Iterable[Sequence[Any]]
Op = Condition.Operator
# Fields of a question an officer may change once answers exist (texts and how it is asked).
TEXT_FIELDS = {"title", "help_text", "scale_min_label", "scale_max_label"}
SETTINGS_FIELDS = {
    "mandatory",
    "max_length",
    "min_choices",
    "max_choices",
    "number_min",
    "number_max",
    "date_min",
    "date_max",
    "condition_mode",
}
STRUCTURE_FIELDS = {"kind", "scale_min", "scale_max"}


class AnswersRefused(ValidationError):
    """Answers that cannot be saved: `by_question` {question id: [messages]}."""

    def __init__(self, by_question: dict) -> None:
        self.by_question = by_question
        super().__init__([message for messages in by_question.values() for message in messages])


# --- building -------------------------------------------------------------------------------


def insert_questionnaire(
    *,
    organization: Organization,
    owner_type: str = "",
    owner_id: int | None = None,
    title: dict | None = None,
    is_template: bool = False,
) -> Questionnaire:
    """The row itself, for the owner's service that creates what owns it."""
    return Questionnaire.objects.create(
        organization=organization, owner_type=owner_type, owner_id=owner_id, title=title or {}, is_template=is_template
    )


def _log(
    actor: User, verb: str, questionnaire: Questionnaire, target: Model | None = None, data: dict | None = None
) -> None:
    owner = owner_of(questionnaire)
    component = owner.component(questionnaire) if owner else None
    log_action(
        actor=actor,
        verb=verb,
        target=target or questionnaire,
        organization=questionnaire.organization,
        space=component.space if component else None,
        component=component,
        data={"questionnaire": questionnaire.pk, **(data or {})},
    )


def _locked_for_write(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire row locked: two officers editing at once apply one after the other."""
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def _bump(questionnaire: Questionnaire) -> None:
    Questionnaire.objects.filter(pk=questionnaire.pk).update(version=F("version") + 1)


def _refuse_if_answered(questionnaire: Questionnaire, what: str) -> None:
    if selectors.has_answers(questionnaire):
        raise ValidationError(
            _(
                "This questionnaire already has answers: %(what)s would change what people answered. "
                "Texts can still be corrected."
            )
            % {"what": what},
            code="answered",
        )


def _clean_question_fields(kind: str, fields: dict) -> dict:
    cleaned = dict(fields)
    if kind in Question.LAYOUT:
        cleaned["mandatory"] = False
    low, high = cleaned.get("scale_min", 1), cleaned.get("scale_max", 5)
    if kind == Kind.SCALE and not (low < high and high - low <= 10):
        raise ValidationError(_("A scale goes from a smaller to a larger value, with at most 11 steps."), code="scale")
    if cleaned.get("min_choices") and cleaned.get("max_choices") and cleaned["min_choices"] > cleaned["max_choices"]:
        raise ValidationError(_("The fewest choices cannot be more than the most choices."), code="choices")
    if (
        cleaned.get("number_min") is not None
        and cleaned.get("number_max") is not None
        and cleaned["number_min"] > cleaned["number_max"]
    ):
        raise ValidationError(_("The smallest number cannot be larger than the largest."), code="bounds")
    if cleaned.get("date_min") and cleaned.get("date_max") and cleaned["date_min"] > cleaned["date_max"]:
        raise ValidationError(_("The earliest date cannot be after the latest."), code="bounds")
    if kind != Kind.PAGE_BREAK and not translated(cleaned.get("title") or {}).strip():
        raise ValidationError(_("Give the question a text."), code="title")
    return cleaned


def _labels(items: Choices) -> list[tuple[Any, dict, bool]]:
    """Options or rows as given: (id or None, label dict[, free_text])."""
    cleaned = []
    for item in items:
        pk, label, *rest = item
        if not translated(label or {}).strip():
            continue
        cleaned.append((pk, label, bool(rest[0]) if rest else False))
    return cleaned


def _write_choices(question: Question, model: Any, items: Choices, *, allow_structure: bool) -> None:
    """Options (or matrix rows) of a question: labels of existing ones are
    updated; adding, removing or reordering them is a change of structure.
    `model`: Option or MatrixRow (the class)."""
    existing = {item.pk: item for item in model.objects.filter(question=question)}
    given = _labels(items)
    kept_ids = [pk for pk, _label, _free in given if pk in existing]
    structure_changes = (
        len(kept_ids) != len(given)
        or set(kept_ids) != set(existing)
        or kept_ids != sorted(existing, key=lambda pk: (existing[pk].position, pk))
        or any(model is Option and existing[pk].free_text != free for pk, _label, free in given if pk in existing)
    )
    if structure_changes and not allow_structure:
        what = _("changing the options") if model is Option else _("changing the rows")
        raise ValidationError(
            _(
                "This questionnaire already has answers: %(what)s would change what people answered. "
                "Texts can still be corrected."
            )
            % {"what": what},
            code="answered",
        )
    for position, (pk, label, free) in enumerate(given):
        if pk in existing:
            item = existing[pk]
            item.label, item.position = label, position
            if model is Option:
                item.free_text = free
            item.save()
        else:
            extra = {"free_text": free} if model is Option else {}
            model.objects.create(question=question, position=position, label=label, **extra)
    removed = set(existing) - set(kept_ids)
    if removed:
        model.objects.filter(pk__in=removed).delete()


def _check_choices(question: Question) -> None:
    if question.has_options and not question.options.exists():
        raise ValidationError(_("Give this question at least one option."), code="options")
    if question.kind == Kind.RANKING and question.options.count() < 2:
        raise ValidationError(_("A ranking needs at least two options."), code="options")
    if question.is_matrix and not question.rows.exists():
        raise ValidationError(_("Give this matrix at least one row."), code="rows")


@transaction.atomic
def add_question(
    *, actor: User, questionnaire: Questionnaire, kind: str, fields: dict, options: Choices = (), rows: Choices = ()
) -> Question:
    """A new question at the end. `options`: (None, label[, free_text]); `rows` likewise."""
    require(actor, "questionnaires.manage", questionnaire)
    questionnaire = _locked_for_write(questionnaire)
    if kind not in Kind.values:
        raise ValidationError(_("Choose a type of question."), code="kind")
    fields = _clean_question_fields(
        kind, {key: value for key, value in fields.items() if key in TEXT_FIELDS | SETTINGS_FIELDS | STRUCTURE_FIELDS}
    )
    fields.pop("kind", None)
    last = Question.objects.filter(questionnaire=questionnaire).aggregate(last=Max("position"))["last"]
    question = Question.objects.create(
        questionnaire=questionnaire, kind=kind, position=0 if last is None else last + 1, **fields
    )
    if question.has_options:
        _write_choices(question, Option, [(None, *item[1:]) for item in options], allow_structure=True)
    if question.is_matrix:
        _write_choices(question, MatrixRow, [(None, *item[1:]) for item in rows], allow_structure=True)
    _check_choices(question)
    _bump(questionnaire)
    _log(actor, "questionnaires.question_added", questionnaire, question)
    return question


@transaction.atomic
def update_question(
    *, actor: User, question: Question, fields: dict, options: Choices | None = None, rows: Choices | None = None
) -> Question:
    """Change a question. With answers: texts, the help and the settings of how
    it is asked; never its type, scale, options or rows (labels may change)."""
    questionnaire = question.questionnaire
    require(actor, "questionnaires.manage", questionnaire)
    _locked_for_write(questionnaire)
    stored = Question.objects.get(pk=question.pk)
    answered = selectors.has_answers(questionnaire)
    fields = {key: value for key, value in fields.items() if key in TEXT_FIELDS | SETTINGS_FIELDS | STRUCTURE_FIELDS}
    kind = fields.pop("kind", stored.kind)
    changed_structure = kind != stored.kind or any(
        key in fields and fields[key] != getattr(stored, key) for key in ("scale_min", "scale_max")
    )
    if answered and changed_structure:
        _refuse_if_answered(questionnaire, _("changing the type or the scale of a question"))
    merged = {name: getattr(stored, name) for name in TEXT_FIELDS | SETTINGS_FIELDS | {"scale_min", "scale_max"}}
    merged.update(fields)
    merged = _clean_question_fields(kind, merged)
    for name, value in merged.items():
        setattr(stored, name, value)
    stored.kind = kind
    stored.save()
    if stored.has_options and options is not None:
        _write_choices(stored, Option, options, allow_structure=not answered)
    if stored.is_matrix and rows is not None:
        _write_choices(stored, MatrixRow, rows, allow_structure=not answered)
    if not stored.has_options:
        stored.options.all().delete()
    if not stored.is_matrix:
        stored.rows.all().delete()
    _check_choices(stored)
    _check_conditions_still_hold(questionnaire)
    _bump(questionnaire)
    _log(actor, "questionnaires.question_updated", questionnaire, stored)
    return stored


@transaction.atomic
def delete_question(*, actor: User, question: Question) -> None:
    questionnaire = question.questionnaire
    require(actor, "questionnaires.manage", questionnaire)
    _locked_for_write(questionnaire)
    if not question.is_layout:
        _refuse_if_answered(questionnaire, _("deleting a question"))
    dependants = Condition.objects.filter(source=question).exclude(question=question)
    if dependants.exists():
        names = ", ".join(f"“{translated(c.question.title)}”" for c in dependants.select_related("question"))
        raise ValidationError(
            _("Other questions are shown depending on this one (%(names)s): change their conditions first.")
            % {"names": names},
            code="dependants",
        )
    _log(actor, "questionnaires.question_deleted", questionnaire, question, data={"title": translated(question.title)})
    question.delete()
    _bump(questionnaire)


def _check_conditions_still_hold(questionnaire: Questionnaire) -> None:
    """Every condition names an earlier question of a type it can read."""
    questions = selectors.questions_of(questionnaire)
    position = {question.pk: index for index, question in enumerate(questions)}
    by_id = {question.pk: question for question in questions}
    for question in questions:
        for condition in question.conditions.all():
            source = by_id.get(condition.source_id)
            if source is None or position[source.pk] >= position[question.pk]:
                raise ValidationError(
                    _("“%(question)s” is shown depending on “%(source)s”, which must come before it.")
                    % {"question": translated(question.title), "source": translated(source.title) if source else "?"},
                    code="order",
                )
            _check_condition(source, condition.operator, condition.option_id, condition.value)


@transaction.atomic
def move_question(*, actor: User, question: Question, direction: str) -> None:
    """Move a question one place up or down ("up", "down")."""
    questionnaire = question.questionnaire
    require(actor, "questionnaires.manage", questionnaire)
    _locked_for_write(questionnaire)
    ids = [q.pk for q in Question.objects.filter(questionnaire=questionnaire)]
    index = ids.index(question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ids):
        return
    ids[index], ids[other] = ids[other], ids[index]
    _renumber(ids)
    _check_conditions_still_hold(questionnaire)
    _bump(questionnaire)
    _log(actor, "questionnaires.question_moved", questionnaire, question, data={"direction": direction})


@transaction.atomic
def reorder(*, actor: User, questionnaire: Questionnaire, ids: list[int]) -> None:
    """Put the questions in this order (every question once)."""
    require(actor, "questionnaires.manage", questionnaire)
    _locked_for_write(questionnaire)
    current = list(Question.objects.filter(questionnaire=questionnaire).values_list("pk", flat=True))
    if sorted(current) != sorted(ids) or len(set(ids)) != len(ids):
        raise ValidationError(_("Give every question of the questionnaire one place."), code="order")
    _renumber(ids)
    _check_conditions_still_hold(questionnaire)
    _bump(questionnaire)
    _log(actor, "questionnaires.reordered", questionnaire)


def _renumber(ids: Iterable[int]) -> None:
    for position, pk in enumerate(ids):
        Question.objects.filter(pk=pk).update(position=position)


def _copy_question(
    question: Question, questionnaire: Questionnaire, position: int, option_map: dict[int, int], row_map: dict[int, int]
) -> Question:
    copy = Question.objects.get(pk=question.pk)
    copy.pk = None
    copy.questionnaire = questionnaire
    copy.position = position
    copy.save()
    for option in question.options.all():
        option_map[option.pk] = Option.objects.create(
            question=copy, position=option.position, label=option.label, free_text=option.free_text
        ).pk
    for row in question.rows.all():
        row_map[row.pk] = MatrixRow.objects.create(question=copy, position=row.position, label=row.label).pk
    return copy


@transaction.atomic
def duplicate_question(*, actor: User, question: Question) -> Question:
    """A copy right after it (options, rows and conditions too)."""
    questionnaire = question.questionnaire
    require(actor, "questionnaires.manage", questionnaire)
    _locked_for_write(questionnaire)
    ids = [q.pk for q in Question.objects.filter(questionnaire=questionnaire)]
    copy = _copy_question(question, questionnaire, question.position, {}, {})
    copy.title = {code: _("%(title)s (copy)") % {"title": text} for code, text in question.title.items()}
    copy.save(update_fields=["title"])
    for condition in question.conditions.all():
        Condition.objects.create(
            question=copy,
            source_id=condition.source_id,
            operator=condition.operator,
            option_id=condition.option_id,
            value=condition.value,
        )
    ids.insert(ids.index(question.pk) + 1, copy.pk)
    _renumber(ids)
    _bump(questionnaire)
    _log(actor, "questionnaires.question_duplicated", questionnaire, copy, data={"from": question.pk})
    return copy


def _check_condition(source: Question, operator: str, option_id: int | None, value: Any) -> None:
    if operator not in Op.values:
        raise ValidationError(_("Choose how the condition compares the answer."), code="operator")
    if source.is_layout:
        raise ValidationError(_("A condition depends on a question, not on a title or a page break."), code="source")
    if operator in (Op.EQUALS, Op.DIFFERS):
        if not source.has_options or option_id not in {option.pk for option in source.options.all()}:
            raise ValidationError(
                _("Choose one of the options of “%(source)s”.") % {"source": translated(source.title)}, code="option"
            )
    if operator in (Op.ABOVE, Op.BELOW):
        if source.kind not in (Kind.NUMBER, Kind.SCALE):
            raise ValidationError(
                _("“Above” and “below” compare the answer of a number or a scale question."), code="source"
            )
        if value is None:
            raise ValidationError(_("Give the number the answer is compared with."), code="value")


@transaction.atomic
def set_conditions(*, actor: User, question: Question, mode: str, conditions: list) -> None:
    """Replace the display conditions of a question: (source id, operator,
    option id or None, value or None), combined with "all" or "any". Allowed
    with answers: the stored answers stay what they are."""
    questionnaire = question.questionnaire
    require(actor, "questionnaires.manage", questionnaire)
    _locked_for_write(questionnaire)
    if mode not in ("all", "any"):
        raise ValidationError(_("Choose how the conditions combine."), code="mode")
    questions = selectors.questions_of(questionnaire)
    earlier = {}
    for candidate in questions:
        if candidate.pk == question.pk:
            break
        earlier[candidate.pk] = candidate
    Condition.objects.filter(question=question).delete()
    for source_id, operator, option_id, value in conditions:
        source = earlier.get(source_id)
        if source is None:
            raise ValidationError(_("A question can only depend on a question that comes before it."), code="order")
        value = Decimal(value) if value not in (None, "") else None
        _check_condition(source, operator, option_id, value)
        Condition.objects.create(
            question=question,
            source=source,
            operator=operator,
            option_id=option_id if operator in (Op.EQUALS, Op.DIFFERS) else None,
            value=value if operator in (Op.ABOVE, Op.BELOW) else None,
        )
    Question.objects.filter(pk=question.pk).update(condition_mode=mode)
    _bump(questionnaire)
    _log(actor, "questionnaires.conditions_set", questionnaire, question, data={"count": len(conditions)})


def copy_questions(source: Questionnaire, target: Questionnaire) -> None:
    """The questions of `source` added to `target` (options, rows, conditions), without
    permission or log: for the services below and a space's copy."""
    option_map: dict = {}
    row_map: dict = {}
    question_map: dict = {}
    questions = selectors.questions_of(source)
    for position, question in enumerate(questions):
        question_map[question.pk] = _copy_question(question, target, position, option_map, row_map).pk
    for question in questions:
        for condition in question.conditions.all():
            Condition.objects.create(
                question_id=question_map[question.pk],
                source_id=question_map[condition.source_id],
                operator=condition.operator,
                option_id=option_map.get(condition.option_id),
                value=condition.value,
            )


@transaction.atomic
def copy_questionnaire(*, actor: User, source: Questionnaire, target: Questionnaire) -> None:
    """Replace the questions of `target` (which has no answers) by a copy of
    those of `source`: a template of the library or another questionnaire of
    the organization the officer manages."""
    require(actor, "questionnaires.manage", target)
    require(actor, "questionnaires.use_template", source)
    if source.organization_id != target.organization_id:
        raise ValidationError(_("This questionnaire belongs to another organization."), code="organization")
    target = _locked_for_write(target)
    _refuse_if_answered(target, _("replacing its questions"))
    Question.objects.filter(questionnaire=target).delete()
    copy_questions(source, target)
    _bump(target)
    _log(actor, "questionnaires.copied", target, data={"from": source.pk, "from_title": translated(source.title)})


@transaction.atomic
def save_as_template(*, actor: User, source: Questionnaire, title: dict) -> Questionnaire:
    """Keep a copy of a questionnaire in the organization's template library."""
    require(actor, "questionnaires.manage", source)
    template = Questionnaire(organization=source.organization, is_template=True, title=title)
    require(actor, "questionnaires.manage", template)
    if not translated(title).strip():
        raise ValidationError(_("Give the template a name."), code="title")
    template.save()
    copy_questions(source, template)
    _log(actor, "questionnaires.template_saved", template, data={"from": source.pk})
    return template


@transaction.atomic
def delete_template(*, actor: User, template: Questionnaire) -> None:
    require(actor, "questionnaires.manage", template)
    if not template.is_template:
        raise ValidationError(_("Only a template of the library can be deleted here."), code="not_template")
    _log(actor, "questionnaires.template_deleted", template, data={"title": translated(template.title)})
    template.delete()


# --- answers --------------------------------------------------------------------------------


# An answer row before it is written: (answer set id, question id, option id, row id, text,
# number, date, rank, file name), the columns of ANSWER_COLUMNS (see insert_answers).
AnswerRow = tuple[int, int, int | None, int | None, str, Decimal | None, Any, int | None, str]
ANSWER_COLUMNS = ("answer_set_id", "question_id", "option_id", "row_id", "text", "number", "date", "rank", "file")
# Their types in PostgreSQL's arrays (insert_answers).
_ANSWER_ARRAYS = ("bigint", "bigint", "bigint", "bigint", "text", "numeric", "date", "smallint", "text")


def _rows_and_counts(
    question: Question, value: Any, answer_set: AnswerSet
) -> tuple[list[AnswerRow], dict[str, tuple[int, Any]]]:
    """The Answer rows of one value (tuples, see AnswerRow) and what it adds to
    the counters. A file is stored now (its row names it)."""
    pk, kind, set_id = question.pk, question.kind, answer_set.pk
    rows: list[AnswerRow] = []
    counts: dict[str, tuple[int, Any]] = {"answered": (1, 0)}

    def answer(
        option: int | None = None,
        row: int | None = None,
        text: str = "",
        number: Decimal | None = None,
        day: Any = None,
        rank: int | None = None,
        file: str = "",
    ) -> None:
        rows.append((set_id, pk, option, row, text, number, day, rank, file))

    offered = answer_values.options_by_id

    if kind in Question.TEXT_KINDS:
        answer(text=value)
    elif kind == Kind.SINGLE:
        option = value["option"]
        free = offered(question)[option].free_text if option in offered(question) else False
        answer(option=option, text=value.get("other", "").strip() if free else "")
        counts[f"o:{option}"] = (1, 0)
    elif kind == Kind.MULTIPLE:
        by_id = offered(question)
        for option in value["options"]:
            free = by_id[option].free_text if option in by_id else False
            answer(option=option, text=value.get("other", "").strip() if free else "")
            counts[f"o:{option}"] = (1, 0)
    elif kind == Kind.RANKING:
        for place, option in enumerate(value, start=1):
            answer(option=option, rank=place)
            counts[f"o:{option}"] = (1, place)
            counts[f"k:{option}:{place}"] = (1, 0)
    elif question.is_matrix:
        for row, options in value.items():
            counts[f"r:{row}"] = (1, 0)
            for option in options:
                answer(row=row, option=option)
                counts[f"r:{row}:o:{option}"] = (1, 0)
    elif kind == Kind.SCALE:
        answer(number=Decimal(value))
        counts[f"v:{value}"] = (1, 0)
        counts["n"] = (1, value)
    elif kind == Kind.NUMBER:
        answer(number=value)
        counts["n"] = (1, value)
    elif kind == Kind.DATE:
        answer(day=value)
        counts[f"m:{value:%Y-%m}"] = (1, 0)
    elif kind == Kind.FILE:
        if isinstance(value, UploadedFile):
            stored = Answer(answer_set=answer_set, question_id=pk)
            stored.file.save(value.name, value, save=False)  # type: ignore[arg-type]  # an upload has a name
            answer(file=stored.file.name or "")
        else:
            answer(file=value.name)
    return rows, counts


def insert_answers(rows: Sequence[AnswerRow]) -> None:
    """Write answer rows (AnswerRow tuples). On PostgreSQL one INSERT of
    arrays whose text never changes (no model instance per row, no statement
    compiled per call); elsewhere a bulk insert of Answer objects."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Answer.objects.bulk_create(
            [Answer(**dict(zip(ANSWER_COLUMNS, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    table = Answer._meta.db_table
    columns = ", ".join(connection.ops.quote_name(name) for name in ANSWER_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in _ANSWER_ARRAYS)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            batch = rows[start : start + 20000]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})",
                [list(column) for column in zip(*batch, strict=True)],
            )


def _add(deltas: dict, question_id: int, counts: dict, sign: int) -> None:
    for key, (count, total) in counts.items():
        old_count, old_total = deltas.get((question_id, key), (0, 0))
        deltas[(question_id, key)] = (old_count + sign * count, old_total + sign * Decimal(total))


def move_tallies(deltas: dict, *, shard: int | None = None) -> None:
    """Add to the counters, in key order (two answer sets never wait on each
    other in a cycle); rows are created when missing. Every key moves in the
    same shard, drawn at random (`shard` for tests): two answer sets saved at
    the same moment wait on each other's row locks only when they draw the
    same shard (1 in TALLY_SHARDS), instead of every respondent queueing on
    the rows of the most chosen options. On PostgreSQL one statement of
    arrays whose text never changes; elsewhere one per 200 keys."""
    items = sorted((key, value) for key, value in deltas.items() if value != (0, 0))
    if not items:
        return
    shard = random.randrange(TALLY_SHARDS) if shard is None else shard
    table = Tally._meta.db_table
    upsert = (
        f'ON CONFLICT (question_id, "key", "shard") DO UPDATE SET "count" = {table}."count" + excluded."count", '
        f'"total" = {table}."total" + excluded."total"'
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {table} (question_id, "key", "shard", "count", "total") '
                f"SELECT q, k, %s, c, t FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::numeric[]) "
                f"AS v(q, k, c, t) ORDER BY q, k {upsert}",
                [
                    shard,
                    [question_id for (question_id, _key), _value in items],
                    [key for (_question_id, key), _value in items],
                    [count for _key, (count, _total) in items],
                    [total for _key, (_count, total) in items],
                ],
            )
        return
    for start in range(0, len(items), 200):  # under SQLite's limit of bound parameters
        batch = items[start : start + 200]
        placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
        params = []
        for (question_id, key), (count, total) in batch:
            params += [question_id, key, shard, count, total]
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO {table} (question_id, "key", "shard", "count", "total") VALUES {placeholders} {upsert}',
                params,
            )


def save_answers(
    *,
    questionnaire: Questionnaire,
    values: dict,
    answer_set: AnswerSet | None = None,
    questions: Sequence[Question] | None = None,
    before_counters: Callable[[AnswerSet], None] | None = None,
    is_new: bool = False,
) -> AnswerSet:
    """Check and store an answer set (a new one, or `answer_set` replaced; or
    filled when `is_new`: the owner just created it empty, nothing to replace),
    and move the counters last, just before the caller's commit (their row
    locks are held briefly). Raises AnswersRefused with messages per question;
    nothing is written then. Call it inside the owner's transaction, after
    the owner's permission check."""
    questions = questions if questions is not None else selectors.questions_of(questionnaire)
    kept, errors = answer_values.check(questions, values)
    storage = Answer._meta.get_field("file").storage
    for pk, value in kept.items():
        # A file stored earlier (a draft's upload, removed by remove_orphan_files after an hour).
        if isinstance(value, answer_values.StoredFile) and not storage.exists(value.name):
            errors[pk] = [_("The file you sent is no longer kept: send it again.")]
    if errors:
        raise AnswersRefused(errors)
    by_id = {question.pk: question for question in questions}
    deltas: dict = {}
    # No savepoint of its own inside the owner's transaction (two round trips per answer
    # set): every refusal is raised above, before anything is written, and a database
    # error here undoes the owner's whole transaction, so nothing is half-saved.
    with transaction.atomic(savepoint=False):
        if answer_set is None or is_new:
            answer_set = answer_set or AnswerSet.objects.create(questionnaire=questionnaire)
            old_files = []
        else:
            old_values = selectors.values_of(answer_set, questions)
            for pk, value in old_values.items():
                _rows, counts = (
                    _rows_and_counts(by_id[pk], value, answer_set)
                    if by_id[pk].kind != Kind.FILE
                    else ([], {"answered": (1, 0)})
                )
                _add(deltas, pk, counts, -1)
            old_files = list(
                Answer.objects.filter(answer_set=answer_set).exclude(file="").values_list("file", flat=True)
            )
            Answer.objects.filter(answer_set=answer_set).delete()
            answer_set.save(update_fields=["updated_at"])
        rows = []
        for question in questions:
            if question.pk in kept:
                question_rows, counts = _rows_and_counts(question, kept[question.pk], answer_set)
                rows += question_rows
                _add(deltas, question.pk, counts, +1)
        insert_answers(rows)
        kept_files = {row[-1] for row in rows if row[-1]}
        for name in old_files:
            if name not in kept_files:
                delete_file_after_commit(Answer._meta.get_field("file").storage, name)
        if before_counters:
            before_counters(answer_set)
        move_tallies(deltas)
    return answer_set


def delete_answers(*, answer_set: AnswerSet, questions: Sequence[Question] | None = None) -> None:
    """Remove an answer set and its part of the counters (the owner checks who may)."""
    questions = questions if questions is not None else selectors.questions_of(answer_set.questionnaire)
    by_id = {question.pk: question for question in questions}
    deltas: dict = {}
    with transaction.atomic():
        for pk, value in selectors.values_of(answer_set, questions).items():
            counts = (
                _rows_and_counts(by_id[pk], value, answer_set)[1]
                if by_id[pk].kind != Kind.FILE
                else {"answered": (1, 0)}
            )
            _add(deltas, pk, counts, -1)
        for name in Answer.objects.filter(answer_set=answer_set).exclude(file="").values_list("file", flat=True):
            delete_file_after_commit(Answer._meta.get_field("file").storage, name)
        answer_set.delete()
        move_tallies(deltas)
