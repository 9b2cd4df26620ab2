"""Display conditions, evaluated on the server (the truth) from the answers
given so far. The page's script (static/questionnaires/questionnaire.js)
evaluates the same rules from `as_data` to show and hide questions live.

Values are the cleaned answers of agora.questionnaires.answers, keyed by
question id: a text, {"option": id, "other": text}, {"options": [ids], ...},
a list of option ids in rank order, {row id: [option ids]}, a number, a date.
A question that is not shown counts as not answered, for the questions whose
conditions name it as well."""

from decimal import Decimal

from django.utils.translation import gettext as _

from agora.core.translations import translated
from agora.questionnaires.models import Condition, Question

Op = Condition.Operator


def kept_on(question, name: str, build):
    """`build()`, kept on the question for the next calls when the question was read
    with its options, rows and conditions (selectors.questions_of): as fresh as that
    read. Checking an answer set asks a question for its options or conditions a dozen
    times; each `.all()` made a manager and a query set. Without that read, built each time."""
    if "_prefetched_objects_cache" not in question.__dict__:
        return build()
    kept = question.__dict__.setdefault("_agora_kept", {})
    if name not in kept:
        kept[name] = build()
    return kept[name]


def conditions_of(question) -> list:
    return kept_on(question, "conditions", lambda: list(question.conditions.all()))


def options_of(question) -> list:
    return kept_on(question, "options", lambda: list(question.options.all()))


def rows_of(question) -> list:
    return kept_on(question, "rows", lambda: list(question.rows.all()))


def chosen_options(question, value) -> set[int]:
    """The options a value chose (the first place of a ranking)."""
    if value is None:
        return set()
    if question.kind == Question.Kind.SINGLE:
        return {value["option"]}
    if question.kind == Question.Kind.MULTIPLE:
        return set(value["options"])
    if question.kind == Question.Kind.RANKING:
        return {value[0]} if value else set()
    if question.is_matrix:
        return {option for options in value.values() for option in options}
    return set()


def _number(question, value):
    if value is None or question.kind not in (Question.Kind.NUMBER, Question.Kind.SCALE):
        return None
    return Decimal(value)


def holds(condition, source, value) -> bool:
    answered = value is not None
    operator = condition.operator
    if operator == Op.ANSWERED:
        return answered
    if operator == Op.NOT_ANSWERED:
        return not answered
    if operator in (Op.EQUALS, Op.DIFFERS):
        if not answered:
            return False
        chosen = condition.option_id in chosen_options(source, value)
        return chosen if operator == Op.EQUALS else not chosen
    number = _number(source, value)
    if number is None or condition.value is None:
        return False
    return number > condition.value if operator == Op.ABOVE else number < condition.value


def is_shown(question, conditions, by_id, values) -> bool:
    if not conditions:
        return True
    results = [
        holds(condition, by_id[condition.source_id], values.get(condition.source_id))
        for condition in conditions
        if condition.source_id in by_id
    ]
    if not results:
        return True
    return all(results) if question.condition_mode == "all" else any(results)


def visible_ids(questions, values) -> set[int]:
    """The questions shown for these answers, in order: the answer of a hidden
    question is ignored by the conditions that come after it."""
    by_id = {question.pk: question for question in questions}
    effective: dict = {}
    shown: set = set()
    for question in questions:
        if is_shown(question, conditions_of(question), by_id, effective):
            shown.add(question.pk)
            if question.pk in values:
                effective[question.pk] = values[question.pk]
    return shown


def describe(condition, by_id) -> str:
    """The condition in words, shown next to the question (for everyone, and
    without JavaScript, where a question depending on the same page stays visible)."""
    source = by_id.get(condition.source_id)
    title = translated(source.title) if source else "?"
    if condition.operator in (Op.EQUALS, Op.DIFFERS):
        option = next((o for o in source.options.all() if o.pk == condition.option_id), None) if source else None
        label = translated(option.label) if option else "?"
        if condition.operator == Op.EQUALS:
            return _("if you answered “%(option)s” to “%(question)s”") % {"option": label, "question": title}
        return _("if you did not answer “%(option)s” to “%(question)s”") % {"option": label, "question": title}
    if condition.operator == Op.ANSWERED:
        return _("if you answered “%(question)s”") % {"question": title}
    if condition.operator == Op.NOT_ANSWERED:
        return _("if you did not answer “%(question)s”") % {"question": title}
    number = f"{condition.value.normalize():f}" if condition.value is not None else "?"
    if condition.operator == Op.ABOVE:
        return _("if your answer to “%(question)s” is above %(value)s") % {"question": title, "value": number}
    return _("if your answer to “%(question)s” is below %(value)s") % {"question": title, "value": number}


def as_data(question) -> dict | None:
    """The conditions of a question for the page's script."""
    conditions = list(question.conditions.all())
    if not conditions:
        return None
    return {
        "mode": question.condition_mode,
        "conditions": [
            {
                "source": c.source_id,
                "operator": c.operator,
                "option": c.option_id,
                "value": float(c.value) if c.value is not None else None,
            }
            for c in conditions
        ],
    }
