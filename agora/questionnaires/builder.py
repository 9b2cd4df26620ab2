"""The back-office screens that build a questionnaire, for any owner mounted
under a component's back-office URLs. The owner says how to find its
questionnaire and which right the screens ask, and adds the URLs in one line:

    # admin_urls.py of the owner
    *builder.builder_urlpatterns(
        "<int:meeting_id>/form/", admin_views.registration_form,
        namespace="meetings_admin", permission="meetings.manage",
    ),

    # admin_views.py: the owner's URL arguments in, the questionnaire out
    def registration_form(request, meeting_id) -> builder.Owned:
        found = _load(request, meeting_id)
        return builder.Owned(found.questionnaire, title=..., context={"meeting": found})

The screens' URL names are the builder's names ("questions", "question_new" ...)
behind `name_prefix` ("form_questions" ...), and each asks `permission` about
the component through `agora.web.access.backoffice_view`. The screens below
(`question_list` ...) take the questionnaire and a `Screens` (the page context and
how to name the URLs) for an owner that mounts them by hand.

Every write goes through agora.questionnaires.services (permission, log)."""

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from agora.core.translations import translated
from agora.questionnaires import conditions, selectors, services
from agora.questionnaires.forms import ConditionsForm, QuestionForm, SaveTemplateForm, TemplateChoiceForm
from agora.questionnaires.models import Question, Questionnaire
from agora.web.access import backoffice_view
from agora.web.views import call_service


@dataclass
class Screens:
    context: dict  # what the owner's back-office pages need (space, component, bo_section ...)
    url: Callable  # url(name, **kwargs): "questions", "question_new", "question_edit", "question_delete",
    #                "question_move", "question_duplicate", "question_conditions", "copy", "save_template"
    title: str = ""  # what the questionnaire belongs to, for the titles

    @property
    def url_questions(self):
        return self.url("questions")

    @property
    def url_new(self):
        return self.url("question_new")

    @property
    def url_copy(self):
        return self.url("copy")

    @property
    def url_save_template(self):
        return self.url("save_template")

    @property
    def url_templates(self):
        return self.url("templates")


def _question(questionnaire, question_id) -> Question:
    question = Question.objects.filter(questionnaire=questionnaire, pk=question_id).first()
    if question is None:
        raise Http404
    question.questionnaire = questionnaire
    return question


def _render(request, template_name, screens, status=200, **extra):
    return render(request, template_name, {**screens.context, "screens": screens, **extra}, status=status)


def question_list(request, questionnaire, screens):
    questions = selectors.questions_of(questionnaire)
    by_id = {question.pk: question for question in questions}
    rows = []
    for question in questions:
        rows.append(
            {
                "question": question,
                "conditions": [conditions.describe(condition, by_id) for condition in question.conditions.all()],
                "edit_url": screens.url("question_edit", question_id=question.pk),
                "delete_url": screens.url("question_delete", question_id=question.pk),
                "move_url": screens.url("question_move", question_id=question.pk),
                "duplicate_url": screens.url("question_duplicate", question_id=question.pk),
                "conditions_url": screens.url("question_conditions", question_id=question.pk),
            }
        )
    return _render(
        request,
        "questionnaires/admin/questions.html",
        screens,
        questionnaire=questionnaire,
        rows=rows,
        kinds=Question.Kind.choices,
        answered=selectors.has_answers(questionnaire),
        pages=len(selectors.pages(questions)),
    )


def question_form(request, questionnaire, screens, question_id=None):
    question = _question(questionnaire, question_id) if question_id else None
    kind = question.kind if question else request.GET.get("kind") or request.POST.get("kind")
    if kind not in Question.Kind.values:
        return _render(request, "questionnaires/admin/choose_kind.html", screens, kinds=Question.Kind.choices)
    if question and request.POST.get("kind") in Question.Kind.values:
        kind = request.POST["kind"]
    posting = request.method == "POST"
    form = QuestionForm(
        request.POST if posting else None,
        instance=question or Question(questionnaire=questionnaire),
        organization=questionnaire.organization,
        kind=kind,
    )
    if posting and form.is_valid():
        if question is None:
            result, refused = call_service(
                request,
                services.add_question,
                form=form,
                questionnaire=questionnaire,
                kind=kind,
                fields=form.settings(),
                options=form.choices("option") or (),
                rows=form.choices("row") or (),
            )
        else:
            result, refused = call_service(
                request,
                services.update_question,
                form=form,
                question=question,
                fields={**form.settings(), "kind": kind},
                options=form.choices("option"),
                rows=form.choices("row"),
            )
        if refused:
            return refused
        if result:
            messages.success(request, _("The question has been saved."))
            if "add_another" in request.POST:
                return redirect(screens.url("question_new") + f"?kind={kind}")
            return redirect(screens.url("questions"))
    return _render(
        request,
        "questionnaires/admin/question_form.html",
        screens,
        form=form,
        question=question,
        kind=kind,
        kind_label=Question.Kind(kind).label,
        kinds=Question.Kind.choices,
        answered=selectors.has_answers(questionnaire),
        status=400 if form.errors else 200,
    )


def question_delete(request, questionnaire, screens, question_id):
    question = _question(questionnaire, question_id)
    if request.method == "POST":
        result, refused = call_service(request, services.delete_question, question=question)
        if refused:
            return refused
        if result:
            messages.success(request, _("The question has been deleted."))
        return redirect(screens.url("questions"))
    return _render(request, "questionnaires/admin/question_delete.html", screens, question=question)


def question_move(request, questionnaire, screens, question_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    question = _question(questionnaire, question_id)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    result, refused = call_service(request, services.move_question, question=question, direction=direction)
    if refused:
        return refused
    return redirect(screens.url("questions") + f"#question-{question.pk}")


def question_duplicate(request, questionnaire, screens, question_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    question = _question(questionnaire, question_id)
    copy, refused = call_service(request, services.duplicate_question, question=question)
    if refused:
        return refused
    if copy:
        messages.success(request, _("The question has been duplicated: edit the copy."))
        return redirect(screens.url("question_edit", question_id=copy.pk))
    return redirect(screens.url("questions"))


def question_conditions(request, questionnaire, screens, question_id):
    question = _question(questionnaire, question_id)
    questions = selectors.questions_of(questionnaire)
    question = next(q for q in questions if q.pk == question.pk)
    earlier = questions[: questions.index(question)]
    form = ConditionsForm(request.POST or None, question=question, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        result, refused = call_service(
            request,
            services.set_conditions,
            form=form,
            question=question,
            mode=form.cleaned_data["mode"],
            conditions=form.conditions(),
        )
        if refused:
            return refused
        if result:
            messages.success(request, _("The conditions have been saved."))
            return redirect(screens.url("questions"))
    return _render(
        request,
        "questionnaires/admin/conditions.html",
        screens,
        form=form,
        question=question,
        has_earlier=any(not q.is_layout for q in earlier),
    )


def copy_from(request, questionnaire, screens, candidates):
    """Replace the questions by a copy of a template or of another questionnaire
    (`candidates`: the questionnaires offered, templates of the organization first)."""
    sources = [
        (q.pk, (_("Template: %(name)s") if q.is_template else "%(name)s") % {"name": translated(q.title) or q.pk})
        for q in candidates
        if q.pk != questionnaire.pk
    ]
    form = TemplateChoiceForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        source = Questionnaire.objects.filter(
            pk=form.cleaned_data["source"], organization=questionnaire.organization
        ).first()
        if source is None:
            raise Http404
        result, refused = call_service(
            request, services.copy_questionnaire, form=form, source=source, target=questionnaire
        )
        if refused:
            return refused
        if result:
            messages.success(request, _("The questions have been copied."))
            return redirect(screens.url("questions"))
    return _render(
        request,
        "questionnaires/admin/copy.html",
        screens,
        form=form,
        questionnaire=questionnaire,
        answered=selectors.has_answers(questionnaire),
    )


def save_template(request, questionnaire, screens):
    form = SaveTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        result, refused = call_service(
            request,
            services.save_as_template,
            form=form,
            source=questionnaire,
            title={code: name for code in questionnaire.organization.languages[:1]},
        )
        if refused:
            return refused
        if result:
            messages.success(request, _("The questionnaire has been kept in the template library."))
            return redirect(screens.url("questions"))
    return _render(request, "questionnaires/admin/save_template.html", screens, form=form)


def template_library(request, questionnaire, screens):
    """The organization's templates (each with `delete_url`), with the way to delete one."""
    templates = list(selectors.templates_of(questionnaire.organization).annotate(question_count=Count("questions")))
    for template in templates:
        setattr(template, "delete_url", screens.url("template_delete", template_id=template.pk))
    return _render(request, "questionnaires/admin/templates.html", screens, templates=templates)


def template_delete(request, questionnaire, screens, template_id):
    template = selectors.templates_of(questionnaire.organization).filter(pk=template_id).first()
    if template is None:
        raise Http404
    if request.method == "POST":
        result, refused = call_service(request, services.delete_template, template=template)
        if refused:
            return refused
        if result:
            messages.success(request, _("The template has been deleted."))
        return redirect(screens.url("templates"))
    return _render(request, "questionnaires/admin/template_delete.html", screens, template=template)


# --- mounting the screens under an owner's URLs ------------------------------------------------


@dataclass
class Owned:
    """What an owner's loader gives the screens: its questionnaire (None: it has
    none to build, 404), what it is called (for the titles) and what its pages add
    to the back-office context."""

    questionnaire: Questionnaire | None
    title: str = ""
    context: dict = field(default_factory=dict)


def _templates_of_organization(request, questionnaire) -> Iterable[Questionnaire]:
    return selectors.templates_of(request.organization)


def builder_urlpatterns(
    prefix: str,
    owner: Callable[..., Owned],
    *,
    namespace: str,
    permission: str,
    name_prefix: str = "form_",
    candidates: Callable[[Any, Questionnaire], Iterable[Questionnaire]] = _templates_of_organization,
) -> list[URLPattern]:
    """The builder's screens under `prefix` of a component's back-office URLs
    (`namespace`, with `space_id` and `component_id`), named `name_prefix` +
    the builder's names. Each screen asks `permission` about the component
    (moving and duplicating a question: POST only), then calls
    `owner(request, **the owner's URL arguments)`, which loads the owner (404,
    refusals) and returns its `Owned`. `candidates(request, questionnaire)`:
    what "copy from" offers (the organization's templates)."""
    page = backoffice_view(permission, target="component")
    action = backoffice_view(permission, target="component", post_only=True)

    def copy(request, questionnaire, screens):
        return copy_from(request, questionnaire, screens, list(candidates(request, questionnaire)))

    def screen(name, route, show, decorator, own_args=()):
        def view(request, **kwargs):
            args = [kwargs.pop(arg) for arg in own_args]  # the rest are the owner's (meeting_id ...)
            owned = owner(request, **kwargs)
            if owned.questionnaire is None:
                raise Http404
            url_kwargs = {"space_id": request.space.pk, "component_id": request.component.pk, **kwargs}
            screens = Screens(
                context={
                    "space": request.space,
                    "component": request.component,
                    "bo_section": "spaces",
                    **owned.context,
                },
                url=lambda url_name, **extra: reverse(
                    f"{namespace}:{name_prefix}{url_name}", kwargs={**url_kwargs, **extra}
                ),
                title=owned.title,
            )
            return show(request, owned.questionnaire, screens, *args)

        view.__name__ = view.__qualname__ = name_prefix + name
        return path(prefix + route, decorator(view), name=name_prefix + name)

    question = ("question_id",)
    return [
        screen("questions", "", question_list, page),
        screen("question_new", "new/", question_form, page),
        screen("question_edit", "<int:question_id>/", question_form, page, question),
        screen("question_delete", "<int:question_id>/delete/", question_delete, page, question),
        screen("question_move", "<int:question_id>/move/", question_move, action, question),
        screen("question_duplicate", "<int:question_id>/duplicate/", question_duplicate, action, question),
        screen("question_conditions", "<int:question_id>/conditions/", question_conditions, page, question),
        screen("copy", "copy/", copy, page),
        screen("save_template", "keep-as-template/", save_template, page),
        screen("templates", "templates/", template_library, page),
        screen("template_delete", "templates/<int:template_id>/delete/", template_delete, page, ("template_id",)),
    ]
