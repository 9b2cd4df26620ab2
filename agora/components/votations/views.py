"""Public pages of a citizen-vote component: the list of votes, a vote (its
questions with their booklets, the ballot, the results when shown), voting,
one's printable receipt and the receipt check."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.components.access import component_context, component_view
from agora.components.votations import selectors, services, sharing
from agora.components.votations.forms import ReceiptForm, read_marks
from agora.components.votations.models import Ballot, Question, Votation
from agora.core import machine_translation
from agora.core.formats import number, percent
from agora.core.translations import translated
from agora.outbox.services import deliverable
from agora.web.access import refuse_public


@component_view
def index(request):
    votations = selectors.votations_for(request.component, request.user)
    return render(
        request,
        "votations/index.html",
        component_context(
            request,
            votations=votations,
            receipt_url=services.receipt_check_url(request.component),
            manages=bool(permissions.can(request.user, "votations.manage", request.component)),
        ),
    )


def _votation(request, votation_id) -> Votation:
    votation = selectors.votation_for(request.component, request.user, votation_id)
    if votation is None:
        raise Http404
    return votation


def _chart_rows(result) -> list[tuple]:
    """(label, value, display, highlight) of the chart of a question (parts/chart.html): the
    votes, or the points of a ranking; the leading option (yes, for a yes-or-no question) stands out."""
    ranked = result.question.kind == Question.Kind.RANKED
    rows = []
    for option in result.options:
        value = option.points_total if ranked else option.votes_total
        if ranked:
            display = _("%(points)s points") % {"points": number(value)}
        else:
            display = f"{number(value)} ({percent(option.percent, 1)})"
        rows.append((translated(option.label), value, display, option is result.leader))
    return rows


def _detail_context(request, votation, *, marks=None, problems=()):
    questions = selectors.questions_of(votation)
    user = request.user
    ballot = selectors.ballot_of(votation, user)
    decision = permissions.can(user, "votations.vote", votation) if votation.state == Votation.State.OPEN else None
    marks = marks or {}
    for question in questions:
        chosen = marks.get(question.pk, {})
        for option in question.options.all():
            option.marked = option.pk in chosen
            option.place = chosen.get(option.pk)
        question.places = range(1, len(question.options.all()) + 1)
    turnout, results = (None, [])
    if votation.results_visible:
        turnout, results = selectors.results(votation, questions)
        for result in results:
            result.chart_rows = _chart_rows(result)
    # Machine translations, for a vote any visitor sees (not one in preparation).
    translated_texts = (
        machine_translation.show(request, [votation, *questions], ("title", "description", "booklet"))
        if votation.state != Votation.State.DRAFT
        else {}
    )
    return component_context(
        request,
        **translated_texts,
        votation=votation,
        questions=questions,
        ballot=ballot,
        decision=decision,
        problems=list(problems),
        turnout=turnout,
        results=results,
        receipt_url=services.receipt_check_url(request.component),
        manages=bool(permissions.can(user, "votations.manage", request.component)),
        at_desk=bool(getattr(request, "desk_agent", None)),
        **sharing.share(request, votation),
    )


@component_view
def detail(request, votation_id):
    votation = _votation(request, votation_id)
    return render(request, "votations/detail.html", _detail_context(request, votation))


def receipt_emailed(ballot: Ballot) -> bool:
    voter = ballot.voter
    return voter is not None and not voter.is_deleted and deliverable(voter.email)


@component_view
@require_POST
def vote(request, votation_id):
    votation = _votation(request, votation_id)
    decision = permissions.can(request.user, "votations.vote", votation)
    if not decision:
        return refuse_public(request, decision)
    questions = selectors.questions_of(votation)
    marks, problems = read_marks(questions, request.POST)
    if not problems:
        channel = Ballot.Channel.DESK if getattr(request, "desk_agent", None) else Ballot.Channel.ONLINE
        try:
            ballot = services.cast_ballot(actor=request.user, votation=votation, marks=marks, channel=channel)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        except ValidationError as refusal:
            problems = list(refusal.messages)
        else:
            if receipt_emailed(ballot):
                text = _("Your ballot is recorded. Your receipt code: %(code)s (also sent by e-mail).")
            else:
                text = _(
                    "Your ballot is recorded. Your receipt code: %(code)s. No e-mail was sent: "
                    "print the receipt or write the code down."
                )
            messages.success(request, text % {"code": ballot.receipt})
            return redirect(votation)
    return render(
        request,
        "votations/detail.html",
        _detail_context(request, votation, marks=marks, problems=problems),
        status=400,
    )


@component_view
def my_receipt(request, votation_id):
    """One's own receipt on a page to print (a person without e-mail at a desk):
    the code, the vote, when and through which channel; never the marks."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    votation = _votation(request, votation_id)
    ballot = selectors.ballot_of(votation, request.user)
    if ballot is None:
        raise Http404
    return render(
        request,
        "votations/my_receipt.html",
        component_context(
            request,
            votation=votation,
            ballot=ballot,
            emailed=receipt_emailed(ballot),
            check_url=request.build_absolute_uri(services.receipt_check_url(request.component)),
        ),
    )


@component_view
def receipt_check(request):
    """Anyone who may read the component checks that the ballot of a receipt code
    is stored: in which vote, through which channel and when, never the marks.
    POST, a few tries per minute per address (the budgets' "receipt_check" limit)."""
    form, ballot, status = ReceiptForm(request.POST or None), None, 200
    if request.method == "POST":
        if not ratelimit.consume(request, action="receipt_check"):
            form.is_valid()
            form.add_error(None, _("Too many checks from your connection: wait a minute and try again."))
            status = 429
        elif form.is_valid():
            ballot = selectors.ballot_for_receipt(request.component, form.cleaned_data["code"])
            if ballot is None:
                form.add_error(
                    "code",
                    _(
                        "No ballot of these votes has this receipt code. Check the code in your "
                        "e-mail or on your printed receipt."
                    ),
                )
            else:
                ballot.votation.component = request.component
        else:
            status = 400
    return render(
        request, "votations/receipt.html", component_context(request, form=form, ballot=ballot), status=status
    )
