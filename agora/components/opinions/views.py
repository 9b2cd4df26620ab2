"""Public pages of an opinion map: the map with its groups and tables, voting one
statement at a time (works without JavaScript; HTMX swaps the card when present),
adding a statement, and the officers' report (HTML and PDF)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.components.access import component_context, component_view
from agora.components.opinions import selectors, services
from agora.components.opinions.forms import StatementForm, VoteForm
from agora.core.translations import translated
from agora.web import sharing
from agora.web.access import refuse_public
from agora.web.views import add_error


def _conversation(request, with_result=True):
    """The component's conversation (made on first use); `with_result`: with its
    stored analysis (a large JSON document: only the pages showing the map read it)."""
    conversation = selectors.conversation_for(request.component, with_result=with_result)
    if conversation is None:
        conversation = services.conversation_of(request.component)
    return conversation


def _card_context(request, conversation, form=None):
    participant = selectors.participant_of(conversation, request.user)
    statement = selectors.next_statement(conversation, participant)
    done, total = selectors.progress(conversation, participant)
    return {
        "conversation": conversation,
        "statement": statement,
        "form": form,
        "done": done,
        "total": total,
        "vote_decision": permissions.can(request.user, "opinions.vote", request.component),
    }


@component_view
def index(request):
    conversation = _conversation(request)
    participant = selectors.participant_of(conversation, request.user)
    component = request.component
    return render(
        request,
        "opinions/index.html",
        component_context(
            request,
            **_card_context(request, conversation),
            map=selectors.opinion_map(conversation, participant),
            own_votes=selectors.own_votes(participant),
            propose_decision=permissions.can(request.user, "opinions.propose", component)
            if component.settings_of().participant_statements
            else None,
            reports=bool(permissions.can(request.user, "opinions.report", component)),
            **sharing.share_context(
                request,
                title=translated(conversation.question) or str(component),
                description=translated(conversation.description),
                embed_url=reverse("opinions:embed_component", kwargs=component.url_kwargs()),
            ),
        ),
    )


@component_view
def vote(request):
    """GET: the next statement to vote on; POST: the vote (or a changed one)."""
    component = request.component
    form = VoteForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # The service checks the right (asked once per vote), then counts the vote.
        try:
            services.vote(
                actor=request.user,
                component=component,
                statement_id=form.cleaned_data["statement"],
                value=form.cleaned_data["value"],
            )
        except ValidationError as error:
            add_error(form, error)
            status = 400
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            if not request.htmx:
                messages.success(request, _("Your vote is counted. You can change it at any time."))
                return redirect(request.POST.get("next") == "map" and component.get_absolute_url() or request.path)
            form = VoteForm()
    else:
        decision = permissions.can(request.user, "opinions.vote", component)
        if not decision:
            return refuse_public(request, decision)
        if request.method == "POST":
            status = 400
    context = component_context(request, **_card_context(request, _conversation(request, with_result=False), form))
    if request.htmx:
        return render(request, "opinions/_card.html", context, status=status)
    return render(request, "opinions/vote.html", context, status=status)


@component_view
def propose(request):
    component = request.component
    decision = permissions.can(request.user, "opinions.propose", component)
    if not decision:
        return refuse_public(request, decision)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.propose_statement(
                actor=request.user, component=component, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_error(form, error)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            if statement.state == statement.State.PENDING:
                messages.success(request, _("Thank you: your statement will be shown once a moderator has read it."))
            else:
                messages.success(request, _("Thank you: your statement is on the map, others can vote on it."))
            return redirect(component.get_absolute_url())
    return render(
        request,
        "opinions/propose.html",
        component_context(request, form=form, conversation=_conversation(request)),
        status=400 if form.is_bound else 200,
    )


def _report_context(request):
    conversation = _conversation(request)
    days = selectors.votes_over_time(conversation)
    top = max((n for _day, n in days), default=0)
    return component_context(
        request,
        conversation=conversation,
        map=selectors.opinion_map(conversation),
        days=[(day, n, round(100 * n / top) if top else 0) for day, n in days],
    )


@component_view
def report(request):
    decision = permissions.can(request.user, "opinions.report", request.component)
    if not decision:
        return refuse_public(request, decision)
    return render(request, "opinions/report.html", _report_context(request))


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"The report fetches nothing: {url}")


@component_view
def report_pdf(request):
    decision = permissions.can(request.user, "opinions.report", request.component)
    if not decision:
        return refuse_public(request, decision)
    try:
        import weasyprint
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        raise Http404
    html = render_to_string("opinions/pdf/report.html", _report_context(request), request=request)
    # Everything the PDF needs is in the HTML: it fetches nothing (no request to this site or any other).
    pdf = weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="opinion-map-{request.component.pk}.pdf"'
    return response
