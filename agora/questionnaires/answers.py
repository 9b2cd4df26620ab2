"""Answers: read from a form's fields (`parse`), checked against the
questionnaire (`check`), turned back into fields (`as_fields`).

A value per question id, typed:
  short/long text   "text"
  single choice     {"option": id, "other": "text of Other, or empty"}
  multiple choice   {"options": [ids], "other": "..."}
  ranking           [option ids, first place first]
  matrix            {row id: [option ids]}   (one id per row for a single-choice matrix)
  scale             int
  number            Decimal
  date              date
  file              an uploaded file, or StoredFile (a file already stored: draft or earlier answer)
No key: not answered.

Field names of the forms (agora/questionnaires/templates/questionnaires/types/):
  q<id>                  the answer (several for checkboxes), the option id of a choice
  q<id>_other            what "Other" specifies
  q<id>_r<row>           a matrix row's choice(s)
  q<id>_o<option>        a ranking's place given to an option ("1" is first)
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.core.files import detect
from agora.core.formats import long_date
from agora.core.translations import translated
from agora.questionnaires import conditions
from agora.questionnaires.models import Question

Kind = Question.Kind
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 10_000
OTHER_MAX = 300
NUMBER_LIMIT = Decimal("999999999999.99")  # what the answer's column holds (14 digits, 2 decimals)
FILE_KINDS_TEXT = "JPEG, PNG, GIF, WebP, PDF, Word (docx), OpenDocument (odt)"


@dataclass(frozen=True)
class StoredFile:
    name: str


def max_file_bytes() -> int:
    return getattr(settings, "AGORA_MAX_ANSWER_FILE_BYTES", 10 * 1024 * 1024)


def raw_of(querydict) -> dict[str, list[str]]:
    """A form's fields as {name: [values]} (kept in the session between pages)."""
    return {name: [str(v) for v in querydict.getlist(name)] for name in querydict}


def field_names(question) -> list[str]:
    """Every field a question's inputs post."""
    prefix = f"q{question.pk}"
    if question.kind == Kind.RANKING:
        return [f"{prefix}_o{option.pk}" for option in conditions.options_of(question)]
    if question.is_matrix:
        return [f"{prefix}_r{row.pk}" for row in conditions.rows_of(question)]
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return [prefix, f"{prefix}_other"]
    return [prefix]


def first_field_id(question) -> str:
    """The id of the first input of a question, where the error summary's link goes."""
    if question.kind == Kind.RANKING:
        first = next(iter(question.options.all()), None)
        return f"id_q{question.pk}_o{first.pk}" if first else f"q{question.pk}"
    if question.is_matrix:
        row = next(iter(question.rows.all()), None)
        option = next(iter(question.options.all()), None)
        return f"id_q{question.pk}_r{row.pk}_{option.pk}" if row and option else f"q{question.pk}"
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        option = next(iter(question.options.all()), None)
        return f"id_q{question.pk}_{option.pk}" if option else f"q{question.pk}"
    if question.kind == Kind.SCALE:
        return f"id_q{question.pk}_{question.scale_min}"
    return f"id_q{question.pk}"


def _one(raw, name) -> str:
    values = raw.get(name) or []
    return (values[-1] if values else "").strip()


def _id(text):
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text or "") else None


def parse_number(text: str):
    """A number typed in French or English ("1 234,5", "1234.5"), or None."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def parse_date(text: str):
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _parse_one(question, raw, files, stored):
    """(value or None, error or None) of one question, from its fields."""
    prefix = f"q{question.pk}"
    kind = question.kind
    if kind in Question.TEXT_KINDS:
        text = _one(raw, prefix).replace("\r\n", "\n")
        return (text or None), None
    if kind == Kind.SINGLE:
        text = _one(raw, prefix)
        if not text:
            return None, None
        option = _id(text)
        if option is None:
            return None, _("Choose one of the options offered.")
        return {"option": option, "other": _one(raw, f"{prefix}_other")}, None
    if kind == Kind.MULTIPLE:
        texts = [t for t in (raw.get(prefix) or []) if t.strip()]
        if not texts:
            return None, None
        options = [_id(t.strip()) for t in texts]
        if None in options:
            return None, _("Choose among the options offered.")
        return {"options": list(dict.fromkeys(options)), "other": _one(raw, f"{prefix}_other")}, None
    if kind == Kind.RANKING:
        places = {}
        for option in conditions.options_of(question):
            text = _one(raw, f"{prefix}_o{option.pk}")
            if not text:
                continue
            place = _id(text)
            if place is None or place < 1:
                return None, _("Give each option a place (1 is first).")
            places[option.pk] = place
        if not places:
            return None, None
        taken = {}
        for option, place in places.items():
            taken.setdefault(place, []).append(option)
        twice = sorted(place for place, options in taken.items() if len(options) > 1)
        if twice:
            return None, ngettext(
                "Place %(places)s is given to several options: give each place once.",
                "Places %(places)s are given to several options: give each place once.",
                len(twice),
            ) % {"places": ", ".join(str(p) for p in twice)}
        return [option for option, _place in sorted(places.items(), key=lambda item: item[1])], None
    if question.is_matrix:
        value = {}
        for row in conditions.rows_of(question):
            texts = [t for t in (raw.get(f"{prefix}_r{row.pk}") or []) if t.strip()]
            if texts:
                options = [_id(t.strip()) for t in texts]
                if None in options:
                    return None, _("Choose among the options offered.")
                value[row.pk] = list(dict.fromkeys(options))
        return (value or None), None
    if kind == Kind.SCALE:
        text = _one(raw, prefix)
        if not text:
            return None, None
        number = _id(text.lstrip("-")) if text.lstrip("-") else None
        if number is None:
            return None, _("Choose a value on the scale.")
        return (-number if text.startswith("-") else number), None
    if kind == Kind.NUMBER:
        text = _one(raw, prefix)
        if not text:
            return None, None
        number = parse_number(text)
        if number is None:
            return None, _("Enter a number, such as 12 or 4,5.")
        return number, None
    if kind == Kind.DATE:
        text = _one(raw, prefix)
        if not text:
            return None, None
        day = parse_date(text)
        if day is None:
            return None, _("Enter a date as day/month/year, such as 14/07/2027.")
        return day, None
    if kind == Kind.FILE:
        upload = (files or {}).get(prefix)
        if upload:
            return upload, None
        if question.pk in (stored or {}):
            return StoredFile(stored[question.pk]), None
        return None, None
    return None, None


def parse(questions, raw, files=None, stored=None) -> tuple[dict, dict]:
    """(values, errors) read from a form's fields: what could not be read at all
    (a word where a number goes, a place given twice) is an error; whether it is
    allowed (offered, in range, required) is `check`'s business."""
    values, errors = {}, {}
    for question in questions:
        if question.is_layout:
            continue
        value, error = _parse_one(question, raw, files, stored)
        if error:
            errors[question.pk] = [error]
        elif value is not None:
            values[question.pk] = value
    return values, errors


# --- checks ----------------------------------------------------------------------------------


def options_by_id(question) -> dict:
    """The question's options by id."""
    return conditions.kept_on(
        question, "offered", lambda: {option.pk: option for option in conditions.options_of(question)}
    )


def _row_ids(question) -> set:
    return conditions.kept_on(question, "row_ids", lambda: {row.pk for row in conditions.rows_of(question)})


def _other_problem(question, value_options, other_text):
    offered = options_by_id(question)
    free = [pk for pk in value_options if offered[pk].free_text]
    if free and not (other_text or "").strip():
        return _("Say what “%(option)s” is.") % {"option": translated(offered[free[0]].label)}
    if len(other_text or "") > OTHER_MAX:
        return _("Keep what you specify under %(max)s characters.") % {"max": OTHER_MAX}
    return None


def check_file(upload) -> str | None:
    """A file an answer carries: checked by its content, like every upload."""
    limit = max_file_bytes()
    if upload.size > limit:
        return _("“%(name)s” is too large (%(size)s); the limit is %(limit)s.") % {
            "name": upload.name,
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(limit),
        }
    if detect(upload) is None:
        return _("“%(name)s” is not an accepted file. Accepted types: %(types)s.") % {
            "name": upload.name,
            "types": FILE_KINDS_TEXT,
        }
    return None


def problem(question, value) -> str | None:
    """What is wrong with an answer, in words, or None."""
    kind = question.kind
    if kind in Question.TEXT_KINDS:
        if not isinstance(value, str):
            return _("Enter a text.")
        limit = SHORT_TEXT_MAX if kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
        if question.max_length:
            limit = min(limit, question.max_length)
        if len(value) > limit:
            return _("Keep your answer under %(max)s characters (it has %(length)s).") % {
                "max": limit,
                "length": len(value),
            }
        return None
    offered = options_by_id(question) if question.has_options else {}
    if kind == Kind.SINGLE:
        if not isinstance(value, dict) or value.get("option") not in offered:
            return _("This choice is not one of the options offered.")
        return _other_problem(question, [value["option"]], value.get("other"))
    if kind == Kind.MULTIPLE:
        options = value.get("options") if isinstance(value, dict) else None
        if not options or any(option not in offered for option in options):
            return _("One of these choices is not one of the options offered.")
        if len(set(options)) != len(options):
            return _("An option is chosen twice.")
        if question.max_choices and len(options) > question.max_choices:
            return ngettext(
                "Choose at most %(max)s option (you chose %(count)s).",
                "Choose at most %(max)s options (you chose %(count)s).",
                question.max_choices,
            ) % {"max": question.max_choices, "count": len(options)}
        if question.min_choices and len(options) < question.min_choices:
            return ngettext(
                "Choose at least %(min)s option.", "Choose at least %(min)s options.", question.min_choices
            ) % {"min": question.min_choices}
        return _other_problem(question, options, value.get("other"))
    if kind == Kind.RANKING:
        if not isinstance(value, list) or any(option not in offered for option in value):
            return _("One of the ranked options is not one of the options offered.")
        if len(set(value)) != len(value):
            return _("An option is ranked twice: give each option one place.")
        if question.mandatory and len(value) != len(offered):
            return _("Rank every option.")
        return None
    if question.is_matrix:
        rows = _row_ids(question)
        if not isinstance(value, dict) or any(row not in rows for row in value):
            return _("One of these rows is not part of the question.")
        for options in value.values():
            if any(option not in offered for option in options):
                return _("One of these choices is not one of the options offered.")
            if kind == Kind.MATRIX_SINGLE and len(options) > 1:
                return _("Choose one answer per row.")
            if kind == Kind.MATRIX_MULTIPLE and question.max_choices and len(options) > question.max_choices:
                return ngettext(
                    "Choose at most %(max)s option per row.",
                    "Choose at most %(max)s options per row.",
                    question.max_choices,
                ) % {"max": question.max_choices}
        if question.mandatory and set(value) != rows:
            return _("Answer every row.")
        return None
    if kind == Kind.SCALE:
        if not isinstance(value, int) or not question.scale_min <= value <= question.scale_max:
            return _("Choose a value from %(min)s to %(max)s.") % {"min": question.scale_min, "max": question.scale_max}
        return None
    if kind == Kind.NUMBER:
        if not isinstance(value, (int, Decimal)) or abs(Decimal(value)) > NUMBER_LIMIT:
            return _("Enter a number, such as 12 or 4,5.")
        exponent = Decimal(value).as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            return _("Enter a number with at most two decimals.")
        low, high = question.number_min, question.number_max
        if (low is not None and value < low) or (high is not None and value > high):
            return _number_range(low, high)
        return None
    if kind == Kind.DATE:
        if not isinstance(value, date):
            return _("Enter a date as day/month/year, such as 14/07/2027.")
        low, high = question.date_min, question.date_max
        if (low and value < low) or (high and value > high):
            return _date_range(low, high)
        return None
    if kind == Kind.FILE:
        if isinstance(value, StoredFile):
            return None
        if not isinstance(value, UploadedFile):
            return _("Choose a file.")
        return check_file(value)
    return _("This item takes no answer.")


def _plain(number) -> str:
    return f"{Decimal(number).normalize():f}"


def _number_range(low, high) -> str:
    if low is not None and high is not None:
        return _("Enter a number from %(min)s to %(max)s.") % {"min": _plain(low), "max": _plain(high)}
    if low is not None:
        return _("Enter a number of at least %(min)s.") % {"min": _plain(low)}
    return _("Enter a number of at most %(max)s.") % {"max": _plain(high)}


def _date_range(low, high) -> str:
    if low and high:
        return _("Enter a date from %(min)s to %(max)s.") % {"min": long_date(low), "max": long_date(high)}
    if low:
        return _("Enter a date on or after %(min)s.") % {"min": long_date(low)}
    return _("Enter a date on or before %(max)s.") % {"max": long_date(high)}


def check(questions, values, *, only=None, hidden_answers="refuse") -> tuple[dict, dict]:
    """(values kept, errors by question id) of answers to `questions`.
    Conditions are evaluated here, on the server: a hidden question is never
    required, and its answer is refused (`hidden_answers="refuse"`: what a
    service is given) or dropped (`"drop"`: a form, where the question may
    have been on screen before the answer it depends on changed). `only`:
    the ids of the questions of the page being checked."""
    visible = conditions.visible_ids(questions, values)
    kept, errors = {}, {}
    for question in questions:
        if question.is_layout:
            continue
        pk = question.pk
        checked = only is None or pk in only
        if pk not in visible:
            if pk in values and hidden_answers == "refuse" and checked:
                errors[pk] = [_("This question does not apply given your other answers: leave it empty.")]
            continue
        if pk not in values:
            if question.mandatory and checked:
                errors[pk] = [_("This question needs an answer.")]
            continue
        error = problem(question, values[pk]) if checked else None
        if error:
            errors[pk] = [error]
        else:
            kept[pk] = values[pk]
    unknown = set(values) - {question.pk for question in questions}
    if unknown and only is None:
        errors[min(unknown)] = [_("An answer was given to a question that is not part of this questionnaire.")]
    return kept, errors


# --- back to fields ---------------------------------------------------------------------------


def as_fields(questions, values) -> tuple[dict, dict]:
    """(raw fields, stored file names by question id) of values: to show an
    answer set again in its form (changing one's answers, a draft)."""
    raw, stored = {}, {}
    by_id = {question.pk: question for question in questions}
    for pk, value in values.items():
        question = by_id.get(pk)
        if question is None:
            continue
        prefix = f"q{pk}"
        kind = question.kind
        if kind in Question.TEXT_KINDS:
            raw[prefix] = [value]
        elif kind == Kind.SINGLE:
            raw[prefix] = [str(value["option"])]
            if value.get("other"):
                raw[f"{prefix}_other"] = [value["other"]]
        elif kind == Kind.MULTIPLE:
            raw[prefix] = [str(option) for option in value["options"]]
            if value.get("other"):
                raw[f"{prefix}_other"] = [value["other"]]
        elif kind == Kind.RANKING:
            for place, option in enumerate(value, start=1):
                raw[f"{prefix}_o{option}"] = [str(place)]
        elif question.is_matrix:
            for row, options in value.items():
                raw[f"{prefix}_r{row}"] = [str(option) for option in options]
        elif kind in (Kind.SCALE, Kind.NUMBER):
            raw[prefix] = [_plain(value) if isinstance(value, Decimal) else str(value)]
        elif kind == Kind.DATE:
            raw[prefix] = [value.isoformat()]
        elif kind == Kind.FILE and isinstance(value, StoredFile):
            stored[pk] = value.name
    return raw, stored
