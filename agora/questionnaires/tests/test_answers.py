"""Answers read from forms, checked against the questionnaire, conditions on the server."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from agora.questionnaires import answers, conditions, selectors
from agora.questionnaires.tests.factories import every_type


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def built(organization):
    questionnaire, q = every_type(organization)
    return selectors.questions_of(questionnaire), q


def option(question, position):
    return question.options.get(position=position).pk


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("velo.png", buffer.getvalue(), content_type="image/png")


def test_every_type_is_read_from_its_fields_and_back(built):
    questions, q = built
    grid_rows = list(q["grid"].rows.all())
    raw = {
        f"q{q['bike'].pk}": [str(option(q["bike"], 0))],
        f"q{q['often'].pk}": ["4"],
        f"q{q['name'].pk}": ["  Les Prés "],
        f"q{q['needs'].pk}": [str(option(q["needs"], 0)), str(option(q["needs"], 2))],
        f"q{q['rank'].pk}_o{option(q['rank'], 0)}": ["2"],
        f"q{q['rank'].pk}_o{option(q['rank'], 1)}": ["1"],
        f"q{q['rank'].pk}_o{option(q['rank'], 2)}": [""],
        f"q{q['grid'].pk}_r{grid_rows[0].pk}": [str(option(q["grid"], 1))],
        f"q{q['km'].pk}": ["12,5"],
        f"q{q['when'].pk}": ["14/07/2027"],
    }
    values, errors = answers.parse(questions, raw)
    assert errors == {}
    assert values[q["name"].pk] == "Les Prés"
    assert values[q["needs"].pk] == {"options": [option(q["needs"], 0), option(q["needs"], 2)], "other": ""}
    assert values[q["rank"].pk] == [option(q["rank"], 1), option(q["rank"], 0)]
    assert values[q["km"].pk] == Decimal("12.5")
    assert values[q["when"].pk] == date(2027, 7, 14)
    kept, errors = answers.check(questions, values)
    assert errors == {} and kept == values
    again, _stored = answers.as_fields(questions, values)
    assert answers.parse(questions, again)[0] == values


def test_bad_input_gets_a_message_per_question(built):
    questions, q = built
    raw = {
        f"q{q['bike'].pk}": ["999999"],  # not offered
        f"q{q['needs'].pk}": [str(o.pk) for o in q["needs"].options.all()],  # three, at most two
        f"q{q['rank'].pk}_o{option(q['rank'], 0)}": ["1"],
        f"q{q['rank'].pk}_o{option(q['rank'], 1)}": ["1"],  # the same place twice
        f"q{q['km'].pk}": ["800"],  # above 500
        f"q{q['when'].pk}": ["01/01/2019"],  # before 2020
        f"q{q['name'].pk}": ["x" * 301],
    }
    values, errors = answers.parse(questions, raw)
    assert errors == {q["rank"].pk: ["Place 1 is given to several options: give each place once."]}
    kept, errors = answers.check(questions, values)
    assert errors[q["bike"].pk] == ["This choice is not one of the options offered."]
    assert errors[q["needs"].pk] == ["Choose at most 2 options (you chose 3)."]
    assert errors[q["km"].pk] == ["Enter a number from 0 to 500."]
    assert errors[q["when"].pk] == ["Enter a date from 1 January 2020 to 31 December 2030."]
    assert errors[q["name"].pk] == ["Keep your answer under 300 characters (it has 301)."]


def test_words_where_numbers_go_are_refused_not_a_crash(built):
    questions, q = built
    values, errors = answers.parse(
        questions,
        {
            f"q{q['km'].pk}": ["beaucoup"],
            f"q{q['when'].pk}": ["31/02/2027"],
            f"q{q['often'].pk}": ["trois"],
            f"q{q['bike'].pk}": ["oui"],
        },
    )
    assert set(errors) == {q["km"].pk, q["when"].pk, q["often"].pk, q["bike"].pk}


def test_other_needs_its_text(built):
    questions, q = built
    other = option(q["bike"], 2)
    kept, errors = answers.check(questions, {q["bike"].pk: {"option": other, "other": " "}})
    assert errors == {q["bike"].pk: ["Say what “Autre” is."]}
    kept, errors = answers.check(questions, {q["bike"].pk: {"option": other, "other": "Trottinette"}})
    assert errors == {}


def test_conditions_show_hide_and_never_require_a_hidden_question(built):
    questions, q = built
    yes, no = option(q["bike"], 0), option(q["bike"], 1)
    shown = conditions.visible_ids(questions, {q["bike"].pk: {"option": yes, "other": ""}})
    assert q["often"].pk in shown and q["why_not"].pk not in shown
    # "How often" is mandatory but only asked of cyclists.
    kept, errors = answers.check(questions, {q["bike"].pk: {"option": no, "other": ""}})
    assert errors == {}
    kept, errors = answers.check(questions, {q["bike"].pk: {"option": yes, "other": ""}})
    assert errors == {q["often"].pk: ["This question needs an answer."]}


def test_a_hidden_question_answered_is_refused_by_services_and_dropped_by_forms(built):
    questions, q = built
    values = {q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}, q["often"].pk: 3}
    kept, errors = answers.check(questions, values)
    assert errors == {q["often"].pk: ["This question does not apply given your other answers: leave it empty."]}
    kept, errors = answers.check(questions, values, hidden_answers="drop")
    assert errors == {} and q["often"].pk not in kept


def test_any_and_above_below(built, organization):
    questions, q = built
    from agora.questionnaires.models import Condition

    Condition.objects.create(question=q["when"], source=q["km"], operator="above", value=Decimal(100))
    Condition.objects.create(question=q["when"], source=q["km"], operator="below", value=Decimal(1))
    q["when"].condition_mode = "any"
    q["when"].save()
    questions = selectors.questions_of(q["when"].questionnaire)
    assert q["when"].pk in conditions.visible_ids(questions, {q["km"].pk: Decimal(150)})
    assert q["when"].pk in conditions.visible_ids(questions, {q["km"].pk: Decimal("0.5")})
    assert q["when"].pk not in conditions.visible_ids(questions, {q["km"].pk: Decimal(50)})
    q["when"].condition_mode = "all"
    q["when"].save()
    questions = selectors.questions_of(q["when"].questionnaire)
    assert q["when"].pk not in conditions.visible_ids(questions, {q["km"].pk: Decimal(150)})


def test_a_question_depending_on_a_hidden_one_is_hidden(built):
    questions, q = built
    from agora.questionnaires.models import Condition

    Condition.objects.create(question=q["name"], source=q["often"], operator="answered")
    questions = selectors.questions_of(q["name"].questionnaire)
    no = {"option": option(q["bike"], 1), "other": ""}
    # "How often" was answered (a stale value) but is hidden: "answered" does not hold.
    assert q["name"].pk not in conditions.visible_ids(questions, {q["bike"].pk: no, q["often"].pk: 3})


def test_files_are_checked_by_their_content(built, settings):
    questions, q = built
    page = [q["photo"].pk]
    kept, errors = answers.check(questions, {q["photo"].pk: png()}, only=page)
    assert errors == {}
    fake = SimpleUploadedFile("velo.png", b"<script>alert(1)</script>", content_type="image/png")
    kept, errors = answers.check(questions, {q["photo"].pk: fake}, only=page)
    assert "is not an accepted file" in errors[q["photo"].pk][0]
    settings.AGORA_MAX_ANSWER_FILE_BYTES = 10
    kept, errors = answers.check(questions, {q["photo"].pk: png()}, only=page)
    assert "is too large" in errors[q["photo"].pk][0]


def test_pages_split_at_page_breaks(built):
    questions, q = built
    pages = selectors.pages(questions)
    assert len(pages) == 2
    assert pages[0][0].pk == q["section"].pk and pages[1][0].pk == q["needs"].pk


def test_conditions_in_words(built):
    questions, q = built
    by_id = {question.pk: question for question in questions}
    assert conditions.describe(q["often"].conditions.get(), by_id) == "if you answered “Oui” to “Faites-vous du vélo ?”"
