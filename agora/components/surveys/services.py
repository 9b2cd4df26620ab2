"""Every write of the surveys component: permission, transaction, action log.

Responses: one per person (or per browser session without an account) and
survey, held by unique constraints, so two tabs sending at once make one
response; with "editable" on, the second becomes a change of the first. The
answers are checked and stored by agora.questionnaires (conditions evaluated
on the server), and the rows every response updates (the survey's count, the
results' counters) move last, just before the commit, to hold their locks
briefly. The confirmation e-mail is a task row of the same transaction (the worker
writes it into the outbox).
"""

import random
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.actionlog.models import ActionLog
from agora.actionlog.services import trace
from agora.components.models import Component
from agora.components.selectors import for_write
from agora.components.surveys import selectors
from agora.components.surveys.models import COUNT_SHARDS, Export, Response, ResponseCount, Survey
from agora.components.surveys.tasks import build_export, send_confirmation
from agora.core.sanitize import clean_translated_html
from agora.core.translations import translated
from agora.outbox.services import new_key
from agora.permissions import require
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires import services as questionnaires
from agora.questionnaires.models import AnswerSet, Question
from agora.statistics import api as statistics


def ensure_survey(component: Component) -> Survey:
    """The component's survey, created with its empty questionnaire the first time."""
    survey = Survey.objects.select_related("questionnaire").filter(component=component).first()
    if survey is not None:
        return survey
    try:
        with transaction.atomic():
            questionnaire = questionnaires.insert_questionnaire(
                organization=component.space.organization, owner_type="surveys.survey", title=component.name
            )
            survey = Survey.objects.create(component=component, questionnaire=questionnaire)
            questionnaire.owner_id = survey.pk
            questionnaire.save(update_fields=["owner_id"])
    except IntegrityError:  # created meanwhile by another request
        survey = Survey.objects.select_related("questionnaire").get(component=component)
    component.__dict__.pop("_survey", None)
    return survey


def _survey_for_write(component: Component) -> tuple[Component, Survey]:
    component = for_write(component, related=("survey", "survey__questionnaire"))
    try:
        survey = component.survey
    except Survey.DoesNotExist:
        raise Survey.DoesNotExist("This component has no survey.") from None
    survey.component = component
    component.__dict__["_survey"] = survey  # what the rules read (selectors.survey_of)
    return component, survey


@transaction.atomic
def update_survey(
    *,
    actor: User,
    component: Component,
    introduction: dict,
    terms: dict,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> Survey:
    require(actor, "surveys.manage", component)
    component, survey = _survey_for_write(component)
    if opens_at and closes_at and opens_at >= closes_at:
        raise ValidationError(_("The survey must open before it closes."), code="window")
    survey.introduction = clean_translated_html(introduction)
    survey.terms = clean_translated_html(terms)
    survey.opens_at, survey.closes_at = opens_at, closes_at
    survey.save()
    trace(actor, "surveys.survey_updated", survey, component=component)
    return survey


def _count_one_more(survey: Survey, component: Component) -> None:
    """The survey's count of responses, +1 in a shard drawn at random. With a
    cap, the survey's row is locked first (SELECT ... FOR UPDATE, no write) and
    the shards added up under that lock: two last responses cannot both pass;
    only surveys with a cap make their respondents queue there."""
    cap = component.settings_of().max_answers
    if cap:
        list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk", flat=True))
        if selectors.answer_count(survey) >= cap:
            raise ValidationError(_("This survey has received all the answers it takes."), code="full")
    _move_count(survey, 1, random.randrange(COUNT_SHARDS))


def _move_count(survey: Survey, delta: int, shard: int) -> None:
    table = ResponseCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (survey_id, "shard", "count") VALUES (%s, %s, %s) '
            f'ON CONFLICT (survey_id, "shard") DO UPDATE SET "count" = {table}."count" + excluded."count"',
            [survey.pk, shard, delta],
        )


def recount(survey: Survey) -> None:
    """The count of responses set to the rows (demo seeds and data written in
    bulk, never while people answer)."""
    ResponseCount.objects.filter(survey=survey).delete()
    ResponseCount.objects.create(survey=survey, shard=0, count=Response.objects.filter(survey=survey).count())


def _confirm(actor: User | AnonymousUser, component: Component, response: Response, changed: bool) -> None:
    """The confirmation e-mail, queued for the worker in the response's
    transaction (tasks.send_confirmation writes it into the outbox): one row
    here, the rendering and the outbox's writes off the respondent's request."""
    if not component.settings_of().confirmation_email or not actor.is_authenticated:
        return
    send_confirmation.enqueue(
        response.pk, changed=changed, reading=translation.get_language() or "", key=new_key("surveys.confirmation")
    )


def respond(
    *,
    actor: User | AnonymousUser,
    component: Component,
    values: dict,
    session_key: str = "",
    accepted_terms: bool = False,
    channel: str = Response.Channel.ONLINE,
    questions: Sequence[Question] | None = None,
    version: int | None = None,
    answered_before: bool = False,
) -> tuple[Response, bool]:
    """A person answers (online, or at a desk where `actor` is the person
    helped; without an account, `session_key` names their browser session).
    `questions`: those the page read, for the questionnaire's `version` (read
    before them); used when the version did not move meanwhile, else read again.
    `answered_before`: the page found an earlier response of this person (it is
    then locked and changed rather than a new one tried first).
    Returns (response, changed): changed when earlier answers were replaced.
    Raises AnswersRefused (messages per question), ValidationError, PermissionDenied."""
    with transaction.atomic():
        component, survey = _survey_for_write(component)
        require(actor, "surveys.respond", component)
        if translated(survey.terms).strip() and not accepted_terms:
            raise ValidationError(_("Accept the terms of the survey to send your answers."), code="terms")
        respondent = actor if actor.is_authenticated else None
        if respondent is None and not session_key:
            raise ValidationError(_("Your browser must accept cookies to answer without an account."), code="session")
        if questions is None or version != survey.questionnaire.version:
            questions = questionnaire_selectors.questions_of(survey.questionnaire)
        # A first answer is inserted at once (its unique constraint decides between two tabs
        # of one person); a person the page saw answer before has their response locked first.
        existing = _existing(survey, respondent, session_key) if answered_before else None
        if existing is None:
            answer_set = AnswerSet.objects.create(questionnaire=survey.questionnaire)
            response = _insert_response(survey, answer_set, respondent, session_key, channel)
            if response is not None:

                def before_counters(_answer_set: AnswerSet) -> None:
                    trace(actor, "surveys.answered", survey, component=component, data={"channel": channel})
                    _confirm(actor, component, response, changed=False)
                    _count_one_more(survey, component)

                questionnaires.save_answers(
                    questionnaire=survey.questionnaire,
                    values=values,
                    answer_set=answer_set,
                    questions=questions,
                    before_counters=before_counters,
                    is_new=True,
                )
                # After the counters: the statistics' rows are the last a response locks.
                statistics.record(kind=statistics.ANSWER, component=component, person=respondent, channel=channel)
                return response, False
            # Another tab (or a desk) of the same person answered first: that response is the one.
            AnswerSet.objects.filter(pk=answer_set.pk).delete()
            existing = _existing(survey, respondent, session_key)
            if existing is None:  # answered and deleted meanwhile
                raise IntegrityError("The response this person answered first is gone.")
        if not component.settings_of().editable:
            raise ValidationError(_("You have already answered this survey."), code="already")

        def before_counters_changed(_answer_set: AnswerSet) -> None:
            trace(actor, "surveys.answers_changed", survey, component=component, data={"channel": channel})
            _confirm(actor, component, existing, changed=True)

        questionnaires.save_answers(
            questionnaire=survey.questionnaire,
            values=values,
            answer_set=existing.answer_set,
            questions=questions,
            before_counters=before_counters_changed,
        )
        existing.channel = channel
        existing.save(update_fields=["channel", "updated_at"])
        return existing, True


def _insert_response(
    survey: Survey, answer_set: AnswerSet, respondent: User | None, session_key: str, channel: str
) -> Response | None:
    """The person's response, or None when they already have one (a unique
    constraint: one per person, or per browser session, and survey). One
    INSERT ... ON CONFLICT DO NOTHING: no look-up before it and no savepoint
    around it; a parallel first answer of the same person waits for the other's
    commit, then finds it taken."""
    now = timezone.now()
    response = Response(
        survey=survey,
        answer_set=answer_set,
        respondent=respondent,
        session_key="" if respondent else session_key,
        channel=channel,
        created_at=now,
        updated_at=now,
    )
    fields = [field for field in Response._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Response._meta.db_table)} ({', '.join(quote(field.attname) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING RETURNING {quote('id')}",
            [field.get_db_prep_save(getattr(response, field.attname), connection) for field in fields],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    response.pk = row[0]
    return response


def _existing(survey: Survey, respondent: User | None, session_key: str) -> Response | None:
    rows = Response.objects.select_for_update().select_related("answer_set")
    if respondent is not None:
        return rows.filter(survey=survey, respondent=respondent).first()
    return rows.filter(survey=survey, session_key=session_key).first()


@transaction.atomic
def enter_paper_answers(*, actor: User, component: Component, values: dict, reference: str) -> Response:
    """Staff type in a paper questionnaire: checked like any answers, recorded
    as a paper response (who typed it, the batch it came from)."""
    require(actor, "surveys.manage", component)
    component, survey = _survey_for_write(component)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(_("Give the batch or the place the paper form comes from."), code="reference")
    answer_set = AnswerSet.objects.create(questionnaire=survey.questionnaire)
    response = Response.objects.create(
        survey=survey,
        answer_set=answer_set,
        channel=Response.Channel.PAPER,
        reference=reference[:100],
        entered_by=actor,
    )

    def before_counters(_answer_set: AnswerSet) -> None:
        trace(actor, "surveys.paper_answers_entered", survey, component=component, data={"reference": reference})
        _count_one_more(survey, component)

    questionnaires.save_answers(
        questionnaire=survey.questionnaire,
        values=values,
        answer_set=answer_set,
        before_counters=before_counters,
        is_new=True,
    )
    statistics.record(kind=statistics.ANSWER, component=component, channel=statistics.PAPER)
    return response


@transaction.atomic
def publish_results(*, actor: User, component: Component, question_ids: Iterable[int | str]) -> Survey:
    """Publish the results of the chosen questions (the others stay for the officers)."""
    require(actor, "surveys.manage", component)
    component, survey = _survey_for_write(component)
    answerable = {
        question.pk
        for question in questionnaire_selectors.answerable(questionnaire_selectors.questions_of(survey.questionnaire))
    }
    chosen = sorted({int(pk) for pk in question_ids} & answerable)
    if not chosen:
        raise ValidationError(_("Choose at least one question whose results are published."), code="empty")
    survey.published_questions = chosen
    survey.results_published_at = survey.results_published_at or timezone.now()
    survey.save(update_fields=["published_questions", "results_published_at", "updated_at"])
    trace(
        actor,
        "surveys.results_published",
        survey,
        component=component,
        visibility=ActionLog.Visibility.PUBLIC,
        data={"questions": len(chosen)},
    )
    return survey


@transaction.atomic
def unpublish_results(*, actor: User, component: Component) -> Survey:
    require(actor, "surveys.manage", component)
    component, survey = _survey_for_write(component)
    survey.results_published_at = None
    survey.save(update_fields=["results_published_at", "updated_at"])
    trace(actor, "surveys.results_unpublished", survey, component=component)
    return survey


EXPORT_FORMATS = ("csv", "xlsx", "json")


@transaction.atomic
def request_export(*, actor: User, component: Component, export_format: str) -> Export:
    """A file of every answer, written in the background with its progress."""
    require(actor, "surveys.manage", component)
    if export_format not in EXPORT_FORMATS:
        raise ValidationError(_("Choose CSV, XLSX or JSON."), code="format")
    survey = selectors.survey_of(component)
    if survey is None:
        raise ValidationError(_("This survey has no questionnaire yet."), code="no_survey")
    export = Export.objects.create(survey=survey, export_format=export_format, requested_by=actor)
    trace(
        actor,
        "surveys.answers_exported",
        survey,
        component=component,
        data={"format": export_format, "background": True},
    )
    build_export.enqueue(export.pk)
    return export


@transaction.atomic
def note_export(*, actor: User, component: Component, export_format: str) -> None:
    """Exports of every answer are logged: who downloaded what, when."""
    require(actor, "surveys.manage", component)
    survey = selectors.survey_of(component)
    trace(actor, "surveys.answers_exported", survey, component=component, data={"format": export_format})
