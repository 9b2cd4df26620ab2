"""A questionnaire with one question of every type, built row by row (the
services are tested on their own)."""

from datetime import date
from decimal import Decimal

from agora.core.translations import tr
from agora.questionnaires.models import Condition, MatrixRow, Option, Question, Questionnaire

Kind = Question.Kind


def question(questionnaire, kind, title, *, options=(), rows=(), other=False, **fields):
    position = Question.objects.filter(questionnaire=questionnaire).count()
    created = Question.objects.create(
        questionnaire=questionnaire, kind=kind, title=tr(title), position=position, **fields
    )
    for index, label in enumerate(options):
        Option.objects.create(
            question=created, position=index, label=tr(label), free_text=other and index == len(options) - 1
        )
    for index, label in enumerate(rows):
        MatrixRow.objects.create(question=created, position=index, label=tr(label))
    return created


def every_type(organization, questionnaire=None, **questionnaire_fields) -> tuple[Questionnaire, dict]:
    """(questionnaire, {name: question}) with every type, two pages and two conditions."""
    questionnaire = questionnaire or Questionnaire.objects.create(
        organization=organization, title=tr("Plan vélo"), **questionnaire_fields
    )
    q = {}
    q["section"] = question(questionnaire, Kind.SECTION, "Vos déplacements")
    q["bike"] = question(
        questionnaire, Kind.SINGLE, "Faites-vous du vélo ?", options=["Oui", "Non", "Autre"], other=True, mandatory=True
    )
    q["often"] = question(questionnaire, Kind.SCALE, "À quelle fréquence ?", scale_min=1, scale_max=5, mandatory=True)
    Condition.objects.create(
        question=q["often"], source=q["bike"], operator="equals", option=q["bike"].options.get(position=0)
    )
    q["why_not"] = question(questionnaire, Kind.LONG_TEXT, "Pourquoi pas ?", max_length=200)
    Condition.objects.create(
        question=q["why_not"], source=q["bike"], operator="equals", option=q["bike"].options.get(position=1)
    )
    q["name"] = question(questionnaire, Kind.SHORT_TEXT, "Votre quartier")
    q["break"] = question(questionnaire, Kind.PAGE_BREAK, "")
    q["needs"] = question(
        questionnaire, Kind.MULTIPLE, "Besoins", options=["Pistes", "Parkings", "Ateliers"], max_choices=2
    )
    q["rank"] = question(questionnaire, Kind.RANKING, "Priorités", options=["Sécurité", "Confort", "Vitesse"])
    q["grid"] = question(
        questionnaire, Kind.MATRIX_SINGLE, "Satisfaction", options=["Bien", "Mal"], rows=["Centre", "Gare"]
    )
    q["km"] = question(
        questionnaire, Kind.NUMBER, "Kilomètres par semaine", number_min=Decimal(0), number_max=Decimal(500)
    )
    q["when"] = question(
        questionnaire, Kind.DATE, "Date du dernier trajet", date_min=date(2020, 1, 1), date_max=date(2030, 12, 31)
    )
    q["photo"] = question(questionnaire, Kind.FILE, "Une photo")
    return questionnaire, q
