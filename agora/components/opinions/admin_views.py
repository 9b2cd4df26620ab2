"""The back-office of an opinion map: the question, the seeded statements,
moderation of the participants' statements, import and export in Polis' open-data
format, and asking the worker for a new analysis."""

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.components.opinions import selectors, services
from agora.components.opinions.forms import ConversationForm, ImportForm, StatementForm
from agora.components.opinions.models import Statement
from agora.web.access import backoffice_view
from agora.web.views import call_service


def _url(request, name="index", **extra):
    return reverse(
        f"opinions_admin:{name}", kwargs={"space_id": request.space.pk, "component_id": request.component.pk, **extra}
    )


def _page(request, status=200, **extra):
    conversation = services.conversation_of(request.component)
    context = {
        "space": request.space,
        "component": request.component,
        "bo_section": "spaces",
        "conversation": conversation,
        "form": ConversationForm(instance=conversation, organization=request.organization),
        "statement_form": StatementForm(),
        "import_form": ImportForm(),
        "pending": selectors.pending_statements(conversation),
        "statements": selectors.all_statements(conversation).filter(state=Statement.State.PUBLISHED),
        "result": getattr(conversation, "result", None),
        **extra,
    }
    return render(request, "opinions/admin/index.html", context, status=status)


@backoffice_view("opinions.manage", target="component")
def index(request):
    if request.method == "POST":
        conversation = services.conversation_of(request.component)
        form = ConversationForm(request.POST, instance=conversation, organization=request.organization)
        if form.is_valid():
            done, refused = call_service(
                request, services.update_conversation, form=form, component=request.component, **form.values()
            )
            if refused is not None:
                return refused
            if done:
                messages.success(request, _("The question has been saved."))
                return redirect(_url(request))
        return _page(request, status=400, form=form)
    return _page(request)


@backoffice_view("opinions.manage", target="component", post_only=True)
def add_statement(request):
    form = StatementForm(request.POST)
    if form.is_valid():
        done, refused = call_service(
            request, services.add_seed_statement, form=form, component=request.component, text=form.cleaned_data["text"]
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The statement is published."))
            return redirect(_url(request))
    return _page(request, status=400, statement_form=form)


@backoffice_view("opinions.manage", target="component", post_only=True)
def moderate(request, statement_id):
    statement = get_object_or_404(Statement, pk=statement_id, conversation__component=request.component)
    publish = request.POST.get("decision") == "publish"
    done, refused = call_service(request, services.moderate_statement, statement=statement, publish=publish)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The statement is published.") if publish else _("The statement is rejected."))
    return redirect(_url(request))


@backoffice_view("opinions.manage", target="component")
def import_polis(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():

        def lines(upload):
            return io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")

        done, refused = call_service(
            request,
            services.import_polis,
            form=form,
            component=request.component,
            votes_file=lines(form.cleaned_data["votes"]),
            comments_file=lines(form.cleaned_data["comments"]),
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("%(n)s votes imported; the groups are being computed.") % {"n": done})
            return redirect(_url(request))
    return _page(request, status=400 if form.is_bound else 200, import_form=form)


@backoffice_view("opinions.manage", target="component", post_only=True)
def recompute(request):
    services.request_recompute(services.conversation_of(request.component))
    messages.success(request, _("The groups will be computed again in a moment."))
    return redirect(_url(request))


@backoffice_view("opinions.manage", target="component")
def export(request, table):
    conversation = services.conversation_of(request.component)
    if table == "comments":
        text = services.export_comments_csv(conversation)
    elif table == "participants-votes":
        text = services.export_participants_votes_csv(conversation)
    else:
        raise Http404
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}.csv"'
    return response
