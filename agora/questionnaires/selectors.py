"""Reads of the questionnaires: the questions with what they need (three
queries whatever their number), the pages, an answer set's values, and the
results from the counters (never from the answers)."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from agora.core import pagecache
from agora.core.models import Organization
from agora.core.translations import translated
from agora.questionnaires.answers import StoredFile
from agora.questionnaires.models import Answer, AnswerSet, Condition, Question, Questionnaire, Tally

Kind = Question.Kind


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(
        Question.objects.filter(questionnaire=questionnaire).prefetch_related(
            "options", "rows", Prefetch("conditions", Condition.objects.order_by("id"))
        )
    )


def questions_shared(questionnaire: Questionnaire) -> list[Question]:
    """The questions to answer (or show results of) the questionnaire, read once
    per process for its version and the settings version (agora.core.pagecache.memo:
    a person's answers each read the same 20 questions, their options, rows and
    conditions, four queries and a hundred model objects). Shared between requests:
    read only; inside a transaction (a write) they are read from the database."""
    return pagecache.memo(
        ("questionnaire_questions", questionnaire.pk, questionnaire.version), lambda: questions_of(questionnaire)
    )


def answerable(questions: Iterable[Question]) -> list[Question]:
    return [question for question in questions if not question.is_layout]


def pages(questions: Iterable[Question]) -> list[list[Question]]:
    """The questions split at page breaks (a page break starts a new page; empty pages are dropped)."""
    found: list[list[Question]] = []
    current: list[Question] = []
    for question in questions:
        if question.kind == Kind.PAGE_BREAK:
            if current:
                found.append(current)
            current = []
            continue
        current.append(question)
    if current or not found:
        found.append(current)
    return found


def has_answers(questionnaire: Questionnaire) -> bool:
    return AnswerSet.objects.filter(questionnaire=questionnaire).exists()


def templates_of(organization: Organization) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(organization=organization, is_template=True).order_by("-updated_at")


def values_of(answer_set: AnswerSet, questions: Iterable[Question]) -> dict:
    """The typed values (agora.questionnaires.answers) of a stored answer set."""
    by_id = {question.pk: question for question in questions}
    values: dict = {}
    rows = Answer.objects.filter(answer_set=answer_set).order_by("question_id", "rank", "id")
    for answer in rows:
        question = by_id.get(answer.question_id)
        if question is None:
            continue
        pk, kind = question.pk, question.kind
        if kind in Question.TEXT_KINDS:
            values[pk] = answer.text
        elif kind == Kind.SINGLE:
            values[pk] = {"option": answer.option_id, "other": answer.text}
        elif kind == Kind.MULTIPLE:
            value = values.setdefault(pk, {"options": [], "other": ""})
            value["options"].append(answer.option_id)
            if answer.text:
                value["other"] = answer.text
        elif kind == Kind.RANKING:
            values.setdefault(pk, []).append(answer.option_id)
        elif question.is_matrix:
            values.setdefault(pk, {}).setdefault(answer.row_id, []).append(answer.option_id)
        elif kind == Kind.SCALE:
            values[pk] = int(answer.number or 0)
        elif kind == Kind.NUMBER:
            values[pk] = answer.number
        elif kind == Kind.DATE:
            values[pk] = answer.date
        elif kind == Kind.FILE and answer.file:
            values[pk] = StoredFile(str(answer.file.name))
    return values


# --- results ----------------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    count: int
    percent: float  # of the answer sets that answered the question
    extra: dict = field(default_factory=dict)


@dataclass
class Result:
    question: Question
    answered: int
    lines: list = field(default_factory=list)  # choices, scale values
    rows: list = field(default_factory=list)  # matrix: (row label, answered, lines)
    average: Decimal | None = None
    free_text: bool = False  # texts and files: listed, not counted


def _percent(count: int | float, total: int | float) -> float:
    return round(100 * count / total, 1) if total else 0.0


def tallies_of(questionnaire: Questionnaire) -> dict:
    """{question id: {key: (count, total)}}: one query, adding up the shards of each counter."""
    found: dict = {}
    rows = (
        Tally.objects.filter(question__questionnaire=questionnaire)
        .values("question_id", "key")
        .annotate(n=Sum("count"), sum=Sum("total"))
        .values_list("question_id", "key", "n", "sum")
        .order_by()
    )
    for question_id, key, count, total in rows:
        found.setdefault(question_id, {})[key] = (count, total)
    return found


def tallies_among(questions: Iterable[Question], answer_sets: QuerySet[AnswerSet] | Iterable[AnswerSet]) -> dict:
    """What the counters would hold for some answer sets only (a cross-filter's
    group): counted from their answers, in four GROUP BY queries."""
    kinds = {question.pk: question.kind for question in questions}
    answers = Answer.objects.filter(answer_set__in=answer_sets, question__in=list(kinds))
    found: dict = {}

    def add(question_id: int, key: str, count: int, total: int | None = 0) -> None:
        old_count, old_total = found.setdefault(question_id, {}).get(key, (0, 0))
        found[question_id][key] = (old_count + count, old_total + (total or 0))

    for row in answers.values("question_id").annotate(n=Count("answer_set_id", distinct=True)):
        add(row["question_id"], "answered", row["n"])
    for row in (
        answers.exclude(row=None).values("question_id", "row_id").annotate(n=Count("answer_set_id", distinct=True))
    ):
        add(row["question_id"], f"r:{row['row_id']}", row["n"])
    for row in (
        answers.filter(question__kind__in=[Kind.NUMBER, Kind.SCALE])
        .values("question_id")
        .annotate(n=Count("id"), total=Sum("number"))
    ):
        add(row["question_id"], "n", row["n"], row["total"])
    grouped = answers.exclude(question__kind=Kind.NUMBER).values("question_id", "option_id", "row_id", "rank", "number")
    for row in grouped.annotate(n=Count("id")):
        question_id, option, kind = row["question_id"], row["option_id"], kinds[row["question_id"]]
        if kind == Kind.SCALE and row["number"] is not None:
            add(question_id, f"v:{int(row['number'])}", row["n"])
        elif kind == Kind.RANKING and option:
            add(question_id, f"o:{option}", row["n"], row["n"] * (row["rank"] or 0))
            add(question_id, f"k:{option}:{row['rank']}", row["n"])
        elif row["row_id"] and option:
            add(question_id, f"r:{row['row_id']}:o:{option}", row["n"])
        elif option:
            add(question_id, f"o:{option}", row["n"])
    return found


def results(
    questionnaire: Questionnaire,
    questions: Iterable[Question],
    *,
    only: Collection[int] | None = None,
    tallies: dict | None = None,
) -> list[Result]:
    """Counts and percentages per question, read from the counters (or from
    `tallies`: those of a group of answer sets, `tallies_among`)."""
    tallies = tallies if tallies is not None else tallies_of(questionnaire)
    found = []
    for question in answerable(questions):
        if only is not None and question.pk not in only:
            continue
        counters = tallies.get(question.pk, {})
        answered = counters.get("answered", (0, 0))[0]
        result = Result(question, answered)
        kind = question.kind
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            for option in question.options.all():
                count = counters.get(f"o:{option.pk}", (0, 0))[0]
                result.lines.append(
                    Line(translated(option.label), count, _percent(count, answered), {"option": option.pk})
                )
        elif kind == Kind.RANKING:
            for option in question.options.all():
                count, total = counters.get(f"o:{option.pk}", (0, 0))
                firsts = counters.get(f"k:{option.pk}:1", (0, 0))[0]
                average = (Decimal(total) / count).quantize(Decimal("0.01")) if count else None
                result.lines.append(
                    Line(
                        translated(option.label),
                        firsts,
                        _percent(firsts, answered),
                        {"option": option.pk, "ranked": count, "average_place": average},
                    )
                )
            result.lines.sort(key=lambda line: (line.extra["average_place"] is None, line.extra["average_place"] or 0))
        elif question.is_matrix:
            for row in question.rows.all():
                row_answered = counters.get(f"r:{row.pk}", (0, 0))[0]
                lines = []
                for option in question.options.all():
                    count = counters.get(f"r:{row.pk}:o:{option.pk}", (0, 0))[0]
                    lines.append(Line(translated(option.label), count, _percent(count, row_answered)))
                result.rows.append((translated(row.label), row_answered, lines))
        elif kind == Kind.SCALE:
            for value in question.scale_values():
                count = counters.get(f"v:{value}", (0, 0))[0]
                result.lines.append(Line(str(value), count, _percent(count, answered)))
            count, total = counters.get("n", (0, 0))
            result.average = (Decimal(total) / count).quantize(Decimal("0.01")) if count else None
        elif kind == Kind.NUMBER:
            count, total = counters.get("n", (0, 0))
            result.average = (Decimal(total) / count).quantize(Decimal("0.01")) if count else None
        elif kind == Kind.DATE:
            months = sorted((key[2:], count) for key, (count, _total) in counters.items() if key.startswith("m:"))
            for month, count in months:
                result.lines.append(Line(month, count, _percent(count, answered)))
        else:
            result.free_text = True
        found.append(result)
    return found


def text_answers(question: Question, *, search: str = "") -> QuerySet[Answer]:
    """The texts given to a question (and what "Other" specifies), newest first."""
    answers = Answer.objects.filter(question=question).exclude(text="")
    if search:
        answers = answers.filter(text__icontains=search)
    return answers.order_by("-id")
