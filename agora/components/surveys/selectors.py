"""Reads of the surveys component."""

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.components.models import Component
from agora.components.surveys.models import Response, ResponseCount, Survey
from agora.core import pagecache
from agora.core.translations import translated
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires.models import Answer, Question
from agora.taxonomy.models import Scope
from agora.verifications.models import Verification

# No group smaller than this is shown in the cross-filters of the results (anonymity).
SMALLEST_GROUP = 10


def survey_of(component: Component) -> Survey | None:
    """The component's survey, read once per component object; on a page,
    kept per process for the settings version (agora.core.pagecache.memo:
    a change of the survey or its questionnaire moves it; writes read it
    again), the page getting its own copies."""
    if "_survey" not in component.__dict__:

        def load() -> Survey | None:
            return Survey.objects.select_related("questionnaire").filter(component_id=component.pk).first()

        shared = pagecache.memo(("surveys.survey", component.pk), load)
        survey = None
        if shared is not None:
            survey = copy.copy(shared)
            survey.questionnaire = copy.copy(shared.questionnaire)
            survey.component = component
        component.__dict__["_survey"] = survey
    return component.__dict__["_survey"]


def answer_count(survey: Survey) -> int:
    """How many responses the survey received: its count's shards added up (one query)."""
    return ResponseCount.objects.filter(survey=survey).aggregate(n=Sum("count"))["n"] or 0


def answer_counts(component_ids: list[int]) -> dict[int, int]:
    """{component id: responses to its survey} for many components, in one query."""
    return {
        component_id: total or 0
        for component_id, total in ResponseCount.objects.filter(survey__component_id__in=component_ids)
        .order_by()
        .values_list("survey__component_id")
        .annotate(n=Sum("count"))
        .values_list("survey__component_id", "n")
    }


def response_of(survey: Survey, user: User | AnonymousUser | None = None, session_key: str = "") -> Response | None:
    """The response of a person (or of a browser session without an account)."""
    if user is not None and user.is_authenticated:
        return Response.objects.filter(survey=survey, respondent=user).select_related("answer_set").first()
    if session_key:
        return Response.objects.filter(survey=survey, session_key=session_key).select_related("answer_set").first()
    return None


def questions(survey: Survey) -> list[Question]:
    return questionnaire_selectors.questions_of(survey.questionnaire)


def published_results(survey: Survey, questions_list: Sequence[Question]) -> list[questionnaire_selectors.Result]:
    """The results of the questions the officer published (none before publication)."""
    if survey.results_published_at is None:
        return []
    chosen = set(survey.published_questions or [])
    return questionnaire_selectors.results(survey.questionnaire, questions_list, only=chosen)


def responses(survey: Survey) -> QuerySet[Response]:
    return Response.objects.filter(survey=survey)


# --- cross-filters of the officers' results ---------------------------------------------------


def filter_choices(questions: Iterable[Question]) -> list[tuple[str, str]]:
    """What the results can be split by: single-choice questions and the age bracket."""
    found = [(f"q{question.pk}", translated(question.title)) for question in questions if question.kind == "single"]
    found.append(("age_bracket", _("Age bracket (from the profile)")))
    found.append(("district", _("Verified district")))
    return found


def _verified_in(survey: Survey) -> QuerySet[Response]:
    """Responses of people with an active verification that gives their district."""
    return Response.objects.filter(
        survey=survey,
        respondent__verifications__status=Verification.Status.ACTIVE,
        respondent__verifications__organization_id=survey.questionnaire.organization_id,
        respondent__verifications__scope__isnull=False,
    )


def groups(survey: Survey, questions: Iterable[Question], by: str) -> list[tuple[str, str, int]]:
    """(value, label, size) of each group the results can be split into."""
    sizes: QuerySet[Any, Any]  # rows of one split or the other (their keys differ)
    if by == "age_bracket":
        labels = dict(User.AgeBracket.choices)
        sizes = (
            Response.objects.filter(survey=survey)
            .exclude(respondent__age_bracket="")
            .exclude(respondent=None)
            .values("respondent__age_bracket")
            .annotate(n=Count("id"))
        )
        return sorted(
            (row["respondent__age_bracket"], str(labels.get(row["respondent__age_bracket"], "")), row["n"])
            for row in sizes
        )
    if by == "district":
        sizes = _verified_in(survey).values("respondent__verifications__scope").annotate(n=Count("id", distinct=True))
        names = {
            scope.pk: translated(scope.name)
            for scope in Scope.objects.filter(pk__in=[row["respondent__verifications__scope"] for row in sizes])
        }
        return sorted(
            (
                (
                    str(row["respondent__verifications__scope"]),
                    names.get(row["respondent__verifications__scope"], ""),
                    row["n"],
                )
                for row in sizes
            ),
            key=lambda group: group[1],
        )
    question = next((q for q in questions if f"q{q.pk}" == by and q.kind == "single"), None)
    if question is None:
        return []
    counts = dict(Answer.objects.filter(question=question).values_list("option_id").annotate(n=Count("id")))
    return [(str(option.pk), translated(option.label), counts.get(option.pk, 0)) for option in question.options.all()]


def group_answer_sets(survey: Survey, questions: Iterable[Question], by: str, value: str) -> QuerySet[Any] | None:
    """The answer sets of one group (a subquery)."""
    if by == "age_bracket":
        return Response.objects.filter(survey=survey, respondent__age_bracket=value).values("answer_set_id")
    if by == "district":
        if not value.isdigit():
            return None
        return _verified_in(survey).filter(respondent__verifications__scope_id=int(value)).values("answer_set_id")
    question = next((q for q in questions if f"q{q.pk}" == by and q.kind == "single"), None)
    if question is None or not value.isdigit():
        return None
    return Answer.objects.filter(question=question, option_id=int(value)).values("answer_set_id")


def public_surveys(component: Component) -> list[Survey]:
    """The component's survey when the component is public (what the worker
    machine-translates: its presentation, never the answers)."""
    survey = survey_of(component) if component.is_public else None
    return [survey] if survey is not None else []
