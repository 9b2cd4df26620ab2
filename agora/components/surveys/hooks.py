"""Hooks of the surveys manifest: statistics, open-data export of the
published results, search, demo seed, copy into a space's next edition."""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from agora.components.surveys import seeds, selectors, services
from agora.components.surveys.models import Response
from agora.core.translations import translated
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires.models import Answer
from agora.questionnaires.services import copy_questions
from agora.statistics import api as statistics


def stats(component):
    return stats_many([component])[component.pk]


def stats_many(components):
    """The answers of many surveys components, in one query (their surveys'
    count shards added up, as selectors.answer_count does for one)."""
    ids = [component.pk for component in components]
    answers = selectors.answer_counts(ids)
    return {pk: [(_("Answers to the survey"), answers.get(pk, 0))] for pk in ids}


def export_json(component):
    """The published results (what the public page shows), never the answers themselves."""
    survey = selectors.survey_of(component)
    data = {
        "component": {"id": component.pk, "name": component.name, "url": component.get_absolute_url()},
        "answers": 0,
        "results": [],
    }
    if survey is not None and component.is_public:
        data["answers"] = selectors.answer_count(survey)
        questions = questionnaire_selectors.questions_of(survey.questionnaire)
        for result in selectors.published_results(survey, questions):
            data["results"].append(
                {
                    "question": result.question.title,
                    "type": result.question.kind,
                    "answered": result.answered,
                    "average": str(result.average) if result.average is not None else None,
                    "lines": [
                        {"label": line.label, "count": line.count, "percent": line.percent} for line in result.lines
                    ],
                    "rows": [
                        {
                            "row": label,
                            "answered": answered,
                            "lines": [
                                {"label": line.label, "count": line.count, "percent": line.percent} for line in lines
                            ],
                        }
                        for label, answered, lines in result.rows
                    ],
                }
            )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="survey-{component.pk}-results.json"'
    return response


def open_data_results(component):
    """The published results of a public survey, one row per answer (the open-data table "survey_results")."""
    survey = selectors.survey_of(component)
    if survey is None or not component.is_public:
        return
    questions = questionnaire_selectors.questions_of(survey.questionnaire)
    for result in selectors.published_results(survey, questions):
        question = result.question
        options = {translated(option.label): dict(option.label or {}) for option in question.options.all()}
        rows = {translated(row.label): dict(row.label or {}) for row in question.rows.all()}
        for line in result.lines:
            yield {
                "question": question.pk,
                "question_text": dict(question.title or {}),
                "row": None,
                "answer": options.get(line.label, line.label),
                "count": line.count,
                "percent": line.percent,
                "answered": result.answered,
            }
        for label, answered, lines in result.rows:
            for line in lines:
                yield {
                    "question": question.pk,
                    "question_text": dict(question.title or {}),
                    "row": rows.get(label, label),
                    "answer": options.get(line.label, line.label),
                    "count": line.count,
                    "percent": line.percent,
                    "answered": answered,
                }


def search(component):
    survey = selectors.survey_of(component)
    if survey is None or not component.is_public:
        return []
    return [(translated(component.name), strip_tags(translated(survey.introduction)), component.get_absolute_url())]


def seed(component):
    seeds.seed(component)


def copy_configuration(source, copy):
    """The next edition starts with the same questions (never the answers)."""
    survey = selectors.survey_of(source)
    if survey is None:
        return
    new = services.ensure_survey(copy)
    new.introduction, new.terms = survey.introduction, survey.terms
    new.save(update_fields=["introduction", "terms"])
    copy_questions(survey.questionnaire, new.questionnaire)


def participation(component):
    """Every response to the component's survey."""
    responses = (
        Response.objects.filter(survey__component=component)
        .values_list("created_at", "channel", "respondent_id")
        .iterator(chunk_size=5000)
    )
    for created_at, channel, respondent_id in responses:
        yield statistics.Event(statistics.ANSWER, channel, timezone.localdate(created_at), respondent_id)


def participant_ids(components):
    """Who answered the surveys of these components with an account."""
    return Response.objects.filter(survey__component__in=components, respondent__isnull=False).values_list(
        "respondent_id", flat=True
    )


def personal_data(person):
    """The person's responses to surveys and each answer they gave ("download my data")."""
    responses = Response.objects.filter(respondent=person).order_by("pk")
    yield "responses", responses.values("id", "survey_id", "channel", "created_at", "updated_at")
    yield (
        "answers",
        Answer.objects.filter(answer_set_id__in=responses.values("answer_set_id"))
        .order_by("pk")
        .values("answer_set_id", "question_id", "option_id", "row_id", "text", "number", "date", "rank"),
    )
