"""Back-office screens for the ideas residents gave on paper, at a desk or at
a meeting: type one in, or import a CSV/XLSX file of them (preview, then all
lines or none). Space administrators only: the screens let in those who may
manage the component, and the services ask "proposals.enter_on_behalf"."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora import permissions
from agora.components.access import component_admin_view
from agora.components.proposals import paper_import, selectors, services
from agora.components.proposals.models import IdeaImport, Proposal
from agora.components.proposals.paper_forms import IdeaFileForm, PaperIdeaForm
from agora.core.csvfiles import SafeWriter
from agora.web.access import refuse_public


def _context(request, **extra):
    return {
        "space": request.space,
        "component": request.component,
        "bo_section": "spaces",
        "can_manage": True,
        "tab": "paper",
        **extra,
    }


def _here(request, name, **kwargs):
    return redirect(f"proposals_admin:{name}", space_id=request.space.pk, component_id=request.component.pk, **kwargs)


def _recent(component):
    return (
        Proposal.objects.filter(component=component)
        .exclude(channel=Proposal.Channel.ONLINE)
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("author")
        .order_by("-published_at", "-id")[:10]
    )


@component_admin_view
def enter(request):
    component = request.component
    form = PaperIdeaForm(request.POST or None, component=component, user=request.user)
    if request.method == "POST" and form.is_valid():
        not_located = form.locate(request.organization)
        try:
            proposal = services.enter_idea(actor=request.user, component=component, **form.entry_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        except permissions.PermissionDenied as denied:
            return refuse_public(request, denied.decision)
        else:
            messages.success(
                request,
                _("The idea “%(title)s” is published (%(reference)s). Enter the next one below.")
                % {"title": proposal.title, "reference": proposal.reference},
            )
            if not_located:
                messages.warning(request, not_located)
            return _here(request, "paper_enter")
    return render(
        request,
        "proposals/paper/enter.html",
        _context(request, form=form, recent=_recent(component)),
        status=400 if form.errors else 200,
    )


@component_admin_view
def import_file(request):
    posting = request.method == "POST"
    form = IdeaFileForm(request.POST if posting else None, request.FILES if posting else None)
    errors = []
    if posting and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored, _plan = paper_import.upload(
                actor=request.user, component=request.component, data=upload.read(), filename=upload.name
            )
        except paper_import.IdeaImportError as refusal:
            errors = refusal.errors
        else:
            return _here(request, "paper_import_preview", ideaimport_id=stored.pk)
    return render(
        request,
        "proposals/paper/import.html",
        _context(request, form=form, errors=errors, custom_fields=selectors.custom_fields(request.component)),
        status=400 if posting else 200,
    )


@component_admin_view
def import_preview(request, ideaimport_id):
    stored = IdeaImport.objects.filter(pk=ideaimport_id, component=request.component).first()
    if stored is None:
        raise Http404
    errors, plan = [], []
    if request.method == "POST" and stored.applied_at is None:
        try:
            created = paper_import.apply(actor=request.user, idea_import=stored)
        except paper_import.IdeaImportError as refusal:
            errors = refusal.errors
        except ValidationError as refusal:
            errors = [(0, text) for text in refusal.messages]
        except permissions.PermissionDenied as denied:
            return refuse_public(request, denied.decision)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s idea imported and published.", "%(count)s ideas imported and published.", len(created)
                )
                % {"count": len(created)},
            )
            return _here(request, "paper_enter")
        stored.refresh_from_db()
    if stored.applied_at is None and not errors:
        try:
            plan = paper_import.plan(request.component, [(line, row) for line, row in stored.rows])
        except paper_import.IdeaImportError as refusal:
            errors = refusal.errors
    return render(
        request,
        "proposals/paper/import_preview.html",
        _context(request, stored=stored, plan=plan, errors=errors),
        status=400 if errors else 200,
    )


@component_admin_view
def template_csv(request):
    """An empty file with the columns of this component (its custom fields included)."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        [
            "title",
            "body",
            "author_name",
            "email",
            "channel",
            "category",
            "scope",
            "address",
            "latitude",
            "longitude",
            *(custom.key for custom in selectors.custom_fields(request.component)),
        ]
    )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ideas-{request.component.pk}-template.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
