"""The back-office of a citizen-vote component: the votes (texts, dates,
questions with their options and booklets), opening and closing, paper
ballots and polling-station counts, the anonymised ballots for a recount, and
the initiatives of the space that reached their "citizen vote" tier."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.components.initiatives import api as initiatives_api
from agora.components.models import Component
from agora.components.votations import hooks, selectors, services
from agora.components.votations.forms import (
    DocumentForm,
    OptionForm,
    PaperBallotForm,
    QuestionForm,
    StationCountForm,
    VotationForm,
    read_marks,
)
from agora.components.votations.models import Document, Option, Question, Votation
from agora.web.access import backoffice_view
from agora.web.views import call_service

MANAGE = "votations.manage"


def _url(request, name, **extra):
    return reverse(
        f"votations_admin:{name}", kwargs={"space_id": request.space.pk, "component_id": request.component.pk, **extra}
    )


def _context(request, **extra):
    return {"space": request.space, "component": request.component, "bo_section": "spaces", **extra}


def _form_page(request, form, title, cancel_url, status=200, **extra):
    return render(
        request,
        "backoffice/form_page.html",
        _context(request, form=form, title=title, cancel_url=cancel_url, **extra),
        status=status,
    )


def vote_requests(component: Component) -> list:
    """The initiatives of the space's initiatives components that reached a "citizen vote" tier, without a vote."""
    return [
        request
        for other in Component.objects.filter(space=component.space, manifest_name="initiatives").order_by("id")
        for request in initiatives_api.vote_requests(other.pk)
    ]


@backoffice_view(MANAGE, target="component")
def index(request):
    votations = selectors.votations_for(request.component, request.user)
    return render(
        request,
        "votations/admin/index.html",
        _context(request, votations=votations, requests=vote_requests(request.component)),
    )


def _load(request, votation_id) -> Votation:
    votation = Votation.objects.filter(component=request.component, pk=votation_id).first()
    if votation is None:
        raise Http404
    votation.component = request.component
    return votation


@backoffice_view(MANAGE, target="component")
def votation(request, votation_id):
    found = _load(request, votation_id)
    questions = selectors.questions_of(found)
    turnout, results = selectors.results(found, questions)
    return render(
        request,
        "votations/admin/votation.html",
        _context(
            request,
            votation=found,
            questions=questions,
            turnout=turnout,
            results=results,
            problems=services._ready_problems(found) if found.state == Votation.State.DRAFT else [],
            stations=list(found.station_counts.order_by("station")),
        ),
    )


@backoffice_view(MANAGE, target="component")
def votation_form(request, votation_id=None):
    item = _load(request, votation_id) if votation_id else None
    form = VotationForm(request.POST or None, organization=request.organization, instance=item)
    if request.method == "POST" and form.is_valid():
        saved, refused = call_service(
            request, services.save_votation, form=form, component=request.component, item=item, **form.values()
        )
        if refused is not None:
            return refused
        if saved:
            messages.success(request, _("The vote has been saved."))
            return redirect(_url(request, "votation", votation_id=saved.pk))
    return _form_page(
        request,
        form,
        _("Edit the vote") if item else _("New vote"),
        _url(request, "votation", votation_id=item.pk) if item else _url(request, "index"),
        status=400 if form.is_bound else 200,
    )


@backoffice_view(MANAGE, target="component")
def delete(request, votation_id):
    found = _load(request, votation_id)
    if request.method == "POST":
        done, refused = call_service(request, services.delete_votation, votation=found)
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The vote has been deleted."))
            return redirect(_url(request, "index"))
        return redirect(_url(request, "votation", votation_id=found.pk))
    return render(
        request,
        "backoffice/confirm.html",
        _context(
            request,
            title=_("Delete the vote “%(title)s”") % {"title": found},
            question=_("The vote, its questions, options and documents will be deleted. This cannot be undone."),
            submit=_("Delete the vote"),
            cancel_url=_url(request, "votation", votation_id=found.pk),
        ),
    )


@backoffice_view(MANAGE, target="component", post_only=True)
def from_initiative(request, initiative_id):
    chosen = next((item for item in vote_requests(request.component) if item.initiative_id == initiative_id), None)
    if chosen is None:
        messages.error(request, _("This initiative has no citizen vote to open (or already has one)."))
        return redirect(_url(request, "index"))
    created, refused = call_service(request, services.open_from_initiative, component=request.component, request=chosen)
    if refused is not None:
        return refused
    if not created:
        return redirect(_url(request, "index"))
    messages.success(
        request,
        _("A vote is prepared with the initiative's question; check its texts and dates, then open it."),
    )
    return redirect(_url(request, "votation", votation_id=created.pk))


@backoffice_view(MANAGE, target="component", post_only=True)
def open_votation(request, votation_id):
    found = _load(request, votation_id)
    done, refused = call_service(request, services.open_votation, votation=found)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The vote is open."))
    return redirect(_url(request, "votation", votation_id=found.pk))


@backoffice_view(MANAGE, target="component", post_only=True)
def close_votation(request, votation_id):
    found = _load(request, votation_id)
    done, refused = call_service(request, services.close_votation, votation=found)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The vote is closed; its results are public."))
    return redirect(_url(request, "votation", votation_id=found.pk))


def _question(request, votation_id, question_id) -> tuple[Votation, Question]:
    found = _load(request, votation_id)
    question = get_object_or_404(Question, pk=question_id, votation=found)
    question.votation = found
    return found, question


@backoffice_view(MANAGE, target="component")
def question_form(request, votation_id, question_id=None):
    found = _load(request, votation_id)
    question = get_object_or_404(Question, pk=question_id, votation=found) if question_id else None
    form = QuestionForm(request.POST or None, organization=request.organization, instance=question)
    if request.method == "POST" and form.is_valid():
        saved, refused = call_service(
            request, services.save_question, form=form, votation=found, item=question, **form.values()
        )
        if refused is not None:
            return refused
        if saved:
            messages.success(request, _("The question has been saved."))
            return redirect(_url(request, "votation", votation_id=found.pk) + f"#question-{saved.pk}")
    return _form_page(
        request,
        form,
        _("Edit the question") if question else _("New question"),
        _url(request, "votation", votation_id=found.pk),
        status=400 if form.is_bound else 200,
    )


@backoffice_view(MANAGE, target="component", post_only=True)
def question_delete(request, votation_id, question_id):
    found, question = _question(request, votation_id, question_id)
    done, refused = call_service(request, services.delete_question, question=question)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The question has been deleted."))
    return redirect(_url(request, "votation", votation_id=found.pk))


@backoffice_view(MANAGE, target="component")
def option_form(request, votation_id, question_id):
    found, question = _question(request, votation_id, question_id)
    form = OptionForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        saved, refused = call_service(
            request, services.save_option, form=form, question=question, label=form.translated_value("label")
        )
        if refused is not None:
            return refused
        if saved:
            messages.success(request, _("The option has been added."))
            return redirect(_url(request, "votation", votation_id=found.pk) + f"#question-{question.pk}")
    return _form_page(
        request,
        form,
        _("New option of “%(question)s”") % {"question": question},
        _url(request, "votation", votation_id=found.pk),
        status=400 if form.is_bound else 200,
    )


@backoffice_view(MANAGE, target="component", post_only=True)
def option_delete(request, votation_id, question_id, option_id):
    found, question = _question(request, votation_id, question_id)
    option = get_object_or_404(Option, pk=option_id, question=question)
    option.question = question
    done, refused = call_service(request, services.delete_option, option=option)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The option has been deleted."))
    return redirect(_url(request, "votation", votation_id=found.pk) + f"#question-{question.pk}")


@backoffice_view(MANAGE, target="component")
def document_form(request, votation_id, question_id):
    found, question = _question(request, votation_id, question_id)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved, refused = call_service(
            request,
            services.add_document,
            form=form,
            question=question,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
        if refused is not None:
            return refused
        if saved:
            messages.success(request, _("The document is added to the booklet."))
            return redirect(_url(request, "votation", votation_id=found.pk) + f"#question-{question.pk}")
    return _form_page(
        request,
        form,
        _("A document for the booklet of “%(question)s”") % {"question": question},
        _url(request, "votation", votation_id=found.pk),
        status=400 if form.is_bound else 200,
        multipart=True,
    )


@backoffice_view(MANAGE, target="component", post_only=True)
def document_delete(request, votation_id, question_id, document_id):
    found, question = _question(request, votation_id, question_id)
    document = get_object_or_404(Document, pk=document_id, question=question)
    document.question = question
    done, refused = call_service(request, services.delete_document, document=document)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The document has been removed."))
    return redirect(_url(request, "votation", votation_id=found.pk) + f"#question-{question.pk}")


@backoffice_view(MANAGE, target="component")
def paper_ballot(request, votation_id):
    found = _load(request, votation_id)
    questions = selectors.questions_of(found)
    form = PaperBallotForm(request.POST or None)
    marks: dict = {}
    status = 200
    if request.method == "POST":
        marks, problems = read_marks(questions, request.POST)
        for problem in problems:
            form.add_error(None, problem)
        if form.is_valid():
            data = form.cleaned_data
            identity = None
            if data.get("last_name"):
                identity = services.PaperIdentity(data["last_name"], data["first_name"], data["birth_date"])
            saved, refused = call_service(
                request,
                services.enter_paper_ballot,
                form=form,
                votation=found,
                marks=marks,
                station=data["station"],
                identity=identity,
            )
            if refused is not None:
                return refused
            if saved:
                messages.success(request, _("The paper ballot is entered (%(receipt)s).") % {"receipt": saved.receipt})
                return redirect(_url(request, "paper_ballot", votation_id=found.pk))
        status = 400
    for question in questions:
        chosen = marks.get(question.pk, {})
        for option in question.options.all():
            option.marked = option.pk in chosen
            option.place = chosen.get(option.pk)
        question.places = range(1, len(question.options.all()) + 1)
    return render(
        request,
        "votations/admin/paper_ballot.html",
        _context(request, votation=found, form=form, questions=questions),
        status=status,
    )


@backoffice_view(MANAGE, target="component")
def station_count(request, votation_id):
    found = _load(request, votation_id)
    questions = selectors.questions_of(found)
    form = StationCountForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        saved, refused = call_service(
            request,
            services.enter_station_count,
            form=form,
            votation=found,
            station=form.cleaned_data["station"],
            ballots=form.cleaned_data["ballots"],
            votes=form.votes(),
        )
        if refused is not None:
            return refused
        if saved:
            messages.success(request, _("The count of “%(station)s” is entered.") % {"station": saved.station})
            return redirect(_url(request, "votation", votation_id=found.pk))
    return _form_page(
        request,
        form,
        _("Count of a polling station: “%(title)s”") % {"title": found},
        _url(request, "votation", votation_id=found.pk),
        status=400 if form.is_bound else 200,
        submit=_("Enter the count"),
    )


@backoffice_view(MANAGE, target="component")
def ballots_csv(request, votation_id):
    found = _load(request, votation_id)
    services.log_export(actor=request.user, votation=found)
    return hooks.recount_csv(found)
