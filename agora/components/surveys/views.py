"""Public pages of a survey: its presentation, answering it page by page, its published results."""

from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.components.access import component_context, component_view
from agora.components.surveys import selectors, services
from agora.components.surveys.models import Response
from agora.core import machine_translation
from agora.core.translations import translated
from agora.moderation import challenges
from agora.permissions import PermissionDenied, can
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires.flow import Flow
from agora.questionnaires.services import AnswersRefused
from agora.web import sharing
from agora.web.access import refuse_public


def _session_key(request, create=False) -> str:
    if request.user.is_authenticated:
        return ""
    if create and not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


@component_view
def index(request):
    component = request.component
    survey = selectors.survey_of(component)
    response = selectors.response_of(survey, request.user, _session_key(request)) if survey else None
    translated_texts = machine_translation.show(request, [survey], ("introduction",)) if survey else {}
    return render(
        request,
        "surveys/index.html",
        component_context(
            request,
            survey=survey,
            response=response,
            decision=can(request.user, "surveys.respond", component),
            editable=component.settings_of().editable,
            **translated_texts,
            **(
                sharing.share_context(
                    request,
                    title=str(component),
                    description=translated(survey.introduction),
                    embed_url=reverse("surveys:embed_component", kwargs=component.url_kwargs()),
                )
                if survey
                else {}
            ),
        ),
    )


def _full(component, survey) -> bool:
    cap = component.settings_of().max_answers
    return bool(cap) and selectors.answer_count(survey) >= cap


@component_view
def respond(request):
    component = request.component
    decision = can(request.user, "surveys.respond", component)
    if not decision:
        return refuse_public(request, decision)
    survey = selectors.survey_of(component)
    session_key = _session_key(request, create=True)
    existing = selectors.response_of(survey, request.user, session_key)
    if existing is not None and not component.settings_of().editable:
        messages.info(request, _("You have already answered this survey. Thank you!"))
        return redirect("surveys:index", **component.url_kwargs())
    if existing is None and _full(component, survey):
        messages.info(request, _("This survey has received all the answers it takes."))
        return redirect("surveys:index", **component.url_kwargs())
    version = survey.questionnaire.version  # read before the questions (services.respond compares)
    questions = questionnaire_selectors.questions_shared(survey.questionnaire)
    initial = questionnaire_selectors.values_of(existing.answer_set, questions) if existing else None
    flow = Flow(
        request,
        survey.questionnaire,
        key=f"survey:{survey.pk}",
        questions=questions,
        initial=initial,
        submit_label=_("Change my answers") if existing else _("Send my answers"),
    )
    status = 200
    if request.method == "POST":
        outcome = flow.post()
        if outcome.values is not None:
            if not request.user.is_authenticated:
                # People without an account prove their browser is not a robot (account holders are not asked).
                proof = challenges.verify(request.POST.get(challenges.FIELD, ""))
                if not proof:
                    messages.error(request, proof.message)
                    return _page(request, survey, flow, _final(flow), existing, 400)
            if not request.user.is_authenticated and not ratelimit.consume(request, action="survey_answer"):
                messages.error(
                    request,
                    _(
                        "Too many answers from your connection: wait a few minutes and send "
                        "again; your answers are kept."
                    ),
                )
                return _page(request, survey, flow, _final(flow), existing, 429)
            channel = Response.Channel.DESK if getattr(request, "desk_agent", None) else Response.Channel.ONLINE
            try:
                _response, changed = services.respond(
                    actor=request.user,
                    component=component,
                    values=outcome.values,
                    session_key=session_key,
                    accepted_terms=request.POST.get("accept_terms") == "1",
                    channel=channel,
                    questions=questions,
                    version=version,
                    answered_before=existing is not None,
                )
            except AnswersRefused as refused:
                outcome, status = flow.refused(refused.by_question), 400
            except PermissionDenied as refusal:
                return refuse_public(request, refusal.decision)
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
                outcome = _final(flow)
                status = 400
            else:
                flow.forget()
                messages.success(
                    request,
                    _("Your answers have been changed.")
                    if changed
                    else _("Thank you, your answers have been recorded."),
                )
                return redirect("surveys:index", **component.url_kwargs())
        elif outcome.page is not None and outcome.page.errors:
            status = 400
    else:
        outcome = flow.show(request.GET.get("page", 0))
    return _page(request, survey, flow, outcome, existing, status)


def _final(flow):
    """The page from which the answers are sent: the review, or the last page."""
    return flow.show("review" if flow.review_enabled else len(flow.pages) - 1)


def _page(request, survey, flow, outcome, existing, status):
    final = outcome.is_final
    anonymous = not request.user.is_authenticated
    return render(
        request,
        "surveys/respond.html",
        component_context(
            request,
            survey=survey,
            flow=outcome.page,
            review=outcome.review,
            existing=existing,
            show_terms=final and bool(translated(survey.terms).strip()),
            challenge=challenges.issue_json() if final and anonymous else None,
            challenge_ahead=anonymous and not final,
            submit_label=flow.submit_label,
        ),
        status=status,
    )


@component_view
def results(request):
    """The results the officer published: charts and tables of the chosen questions."""
    survey = selectors.survey_of(request.component)
    if survey is None or survey.results_published_at is None:
        raise Http404
    questions = questionnaire_selectors.questions_shared(survey.questionnaire)
    return render(
        request,
        "surveys/results.html",
        component_context(
            request,
            survey=survey,
            answer_count=selectors.answer_count(survey),
            results=selectors.published_results(survey, questions),
        ),
    )
