"""Back-office screens of a survey: its settings, its questions (the
questionnaire builder of agora.questionnaires), results with cross-filters,
publication, exports and paper answers. Every screen asks surveys.manage."""

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.components.surveys import exports, selectors, services
from agora.components.surveys.forms import PaperForm, PublishForm, SurveyForm
from agora.components.surveys.models import Export, Response, Survey
from agora.core.files import private_file_response
from agora.core.translations import translated
from agora.permissions import PermissionDenied
from agora.questionnaires import builder
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires.flow import Flow
from agora.questionnaires.services import AnswersRefused
from agora.web.access import backoffice_view, refuse
from agora.web.views import call_service, paginate

# Every screen of a survey asks surveys.manage (the managers of the space).
survey_admin_view = backoffice_view("surveys.manage", target="component")


def _url(request, name, **kwargs):
    return reverse(
        f"surveys_admin:{name}", kwargs={"space_id": request.space.pk, "component_id": request.component.pk, **kwargs}
    )


def _survey(request) -> Survey:
    survey = services.ensure_survey(request.component)
    survey.component = request.component
    return survey


def _nav(request, current):
    tabs = [
        ("index", _("Overview")),
        ("questions", _("Questions")),
        ("results", _("Results")),
        ("paper", _("Paper answers")),
        ("edit", _("Settings")),
    ]
    return [(label, _url(request, name), name == current) for name, label in tabs]


def _context(request, current="index", **extra):
    return {
        "space": request.space,
        "component": request.component,
        "bo_section": "spaces",
        "owner_nav": _nav(request, current),
        **extra,
    }


@survey_admin_view
def index(request):
    survey = _survey(request)
    by_channel = dict(Response.objects.filter(survey=survey).values_list("channel").annotate(n=Count("id")))
    questions = questionnaire_selectors.questions_of(survey.questionnaire)
    return render(
        request,
        "surveys/admin/index.html",
        _context(
            request,
            survey=survey,
            answer_count=selectors.answer_count(survey),
            by_channel=[(label, by_channel.get(value, 0)) for value, label in Response.Channel.choices],
            question_count=len(questionnaire_selectors.answerable(questions)),
            pages=len(questionnaire_selectors.pages(questions)),
        ),
    )


@survey_admin_view
def edit(request):
    survey = _survey(request)
    form = SurveyForm(request.POST or None, instance=survey, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        result, refused = call_service(
            request,
            services.update_survey,
            form=form,
            component=request.component,
            introduction=form.translated_value("introduction"),
            terms=form.translated_value("terms"),
            opens_at=form.cleaned_data["opens_at"],
            closes_at=form.cleaned_data["closes_at"],
        )
        if refused:
            return refused
        if result:
            messages.success(request, _("The survey has been saved."))
            return redirect(_url(request, "index"))
    return render(
        request, "surveys/admin/edit.html", _context(request, "edit", form=form), status=400 if form.errors else 200
    )


# --- the questions (agora.questionnaires.builder, mounted in admin_urls) ------------------------


def survey_questionnaire(request) -> builder.Owned:
    survey = _survey(request)
    return builder.Owned(survey.questionnaire, title=str(request.component), context=_context(request, "questions"))


def copy_candidates(request, questionnaire):
    """What "copy from" offers: the organization's templates, then its other surveys."""
    return list(questionnaire_selectors.templates_of(request.organization)) + [
        other.questionnaire
        for other in Survey.objects.filter(component__space__organization=request.organization)
        .exclude(questionnaire=questionnaire)
        .select_related("questionnaire", "component")
    ]


# --- results ----------------------------------------------------------------------------------


@survey_admin_view
def results(request):
    """Every question's counts (from the counters), and, split by an answer
    or the age bracket, the counts of one group when it has at least 10 answers."""
    survey = _survey(request)
    questions = questionnaire_selectors.questions_of(survey.questionnaire)
    by, value = request.GET.get("by", ""), request.GET.get("group", "")
    choices = selectors.filter_choices(questions)
    groups = selectors.groups(survey, questions, by) if by else []
    group, group_results, too_small = None, None, False
    if by and value:
        group = next((g for g in groups if g[0] == value), None)
        if group is not None and group[2] < selectors.SMALLEST_GROUP:
            too_small = True
        elif group is not None:
            sets = selectors.group_answer_sets(survey, questions, by, value)
            group_results = questionnaire_selectors.results(
                survey.questionnaire, questions, tallies=questionnaire_selectors.tallies_among(questions, sets)
            )
    shown = (
        group_results if group_results is not None else questionnaire_selectors.results(survey.questionnaire, questions)
    )
    return render(
        request,
        "surveys/admin/results.html",
        _context(
            request,
            "results",
            survey=survey,
            answer_count=selectors.answer_count(survey),
            results=shown,
            choices=choices,
            by=by,
            groups=groups,
            group=group,
            too_small=too_small,
            smallest=selectors.SMALLEST_GROUP,
            texts_url=_url(request, "texts"),
            publish_url=_url(request, "publish"),
        ),
    )


@survey_admin_view
def texts(request):
    """The texts given to a question, searchable."""
    survey = _survey(request)
    questions = questionnaire_selectors.questions_of(survey.questionnaire)
    question_id = request.GET.get("question", "")
    question = next((q for q in questions if str(q.pk) == question_id), None)
    if question is None:
        readable = [q for q in questions if q.kind in ("short_text", "long_text", "single", "multiple")]
        return render(
            request,
            "surveys/admin/texts_choose.html",
            _context(request, "results", questions=readable, texts_url=_url(request, "texts")),
        )
    search = request.GET.get("q", "").strip()[:200]
    page = paginate(request, questionnaire_selectors.text_answers(question, search=search), per_page=50)
    return render(
        request,
        "surveys/admin/texts.html",
        _context(request, "results", question=question, page_obj=page, search=search),
    )


@survey_admin_view
def publish(request):
    survey = _survey(request)
    questions = questionnaire_selectors.answerable(questionnaire_selectors.questions_of(survey.questionnaire))
    choices = [(str(q.pk), translated(q.title)) for q in questions]
    form = PublishForm(
        request.POST or None,
        choices=choices,
        initial={"questions": [str(pk) for pk in survey.published_questions or []]},
    )
    if request.method == "POST":
        if "unpublish" in request.POST:
            result, refused = call_service(request, services.unpublish_results, component=request.component)
            if refused:
                return refused
            messages.success(request, _("The results are no longer public."))
            return redirect(_url(request, "results"))
        if form.is_valid():
            result, refused = call_service(
                request,
                services.publish_results,
                form=form,
                component=request.component,
                question_ids=form.cleaned_data["questions"],
            )
            if refused:
                return refused
            if result:
                messages.success(request, _("The results of the chosen questions are public."))
                return redirect(_url(request, "results"))
    return render(
        request,
        "surveys/admin/publish.html",
        _context(request, "results", survey=survey, form=form),
        status=400 if form.errors else 200,
    )


EXPORT_FORMATS = {"csv", "xlsx", "json"}


@survey_admin_view
def export(request, export_format):
    """Every answer, one row per response (streamed; see exports.py for the columns)."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    survey = _survey(request)
    try:
        services.note_export(actor=request.user, component=request.component, export_format=export_format)
    except PermissionDenied as refusal:
        return refuse(request, refusal.decision)
    questions = questionnaire_selectors.questions_of(survey.questionnaire)
    name = f"survey-{request.component.pk}-answers.{export_format}"
    if export_format == "csv":
        response = StreamingHttpResponse(exports.csv_lines(survey, questions), content_type="text/csv; charset=utf-8")
    elif export_format == "json":
        response = StreamingHttpResponse(
            exports.json_chunks(survey, questions), content_type="application/json; charset=utf-8"
        )
    else:
        spool = tempfile.NamedTemporaryFile(suffix=".xlsx")
        exports.xlsx_file(survey, questions, spool.name)
        spool.seek(0)
        response = FileResponse(spool, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@survey_admin_view
def export_list(request):
    """Files of every answer prepared in the background, with their progress."""
    survey = _survey(request)
    if request.method == "POST":
        result, refused = call_service(
            request,
            services.request_export,
            component=request.component,
            export_format=request.POST.get("export_format", ""),
        )
        if refused:
            return refused
        if result:
            messages.success(request, _("The file is being prepared: its progress is shown below."))
        return redirect(_url(request, "exports"))
    files = list(Export.objects.filter(survey=survey).select_related("requested_by")[:20])
    return render(
        request,
        "surveys/admin/exports.html",
        _context(
            request,
            "index",
            survey=survey,
            files=files,
            working=any(f.state in (Export.State.PENDING, Export.State.RUNNING) for f in files),
        ),
    )


@survey_admin_view
def export_download(request, export_id):
    export = Export.objects.filter(pk=export_id, survey__component=request.component, state=Export.State.DONE).first()
    if export is None:
        raise Http404
    return private_file_response(export.file, title=f"survey-{request.component.pk}-answers")


# --- paper answers ----------------------------------------------------------------------------


@survey_admin_view
def paper(request):
    """Staff type in the answers of a paper questionnaire, page by page like
    a respondent, and say which batch it comes from (recorded with the response)."""
    survey = _survey(request)
    questions = questionnaire_selectors.questions_of(survey.questionnaire)
    flow = Flow(
        request,
        survey.questionnaire,
        key=f"paper:{survey.pk}",
        questions=questions,
        submit_label=_("Record this paper questionnaire"),
    )
    reference_form = PaperForm(
        request.POST if request.POST.get("go") == "submit" else None,
        initial={"reference": request.session.get("surveys-paper-reference", "")},
    )
    status = 200
    if request.method == "POST":
        outcome = flow.post()
        if outcome.values is not None:
            if not reference_form.is_valid():
                outcome, status = flow.show("review" if flow.review_enabled else len(flow.pages) - 1), 400
            else:
                reference = reference_form.cleaned_data["reference"]
                try:
                    services.enter_paper_answers(
                        actor=request.user, component=request.component, values=outcome.values, reference=reference
                    )
                except AnswersRefused as refused:
                    outcome, status = flow.refused(refused.by_question), 400
                except PermissionDenied as refusal:
                    return refuse(request, refusal.decision)
                except ValidationError as error:
                    reference_form.add_error(None, error)
                    outcome, status = flow.show("review" if flow.review_enabled else len(flow.pages) - 1), 400
                else:
                    flow.forget()
                    request.session["surveys-paper-reference"] = reference
                    messages.success(request, _("The paper questionnaire has been recorded. Type in the next one."))
                    return redirect(_url(request, "paper"))
        elif outcome.page is not None and outcome.page.errors:
            status = 400
    else:
        outcome = flow.show(request.GET.get("page", 0))
    final = outcome.is_final
    paper_count = Response.objects.filter(survey=survey, channel=Response.Channel.PAPER).count()
    return render(
        request,
        "surveys/admin/paper.html",
        _context(
            request,
            "paper",
            survey=survey,
            flow=outcome.page,
            review=outcome.review,
            final=final,
            reference_form=reference_form,
            submit_label=flow.submit_label,
            paper_count=paper_count,
            action=_url(request, "paper"),
        ),
        status=status,
    )
