from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agora.components.access import component_admin_view
from agora.components.accountability import csv_io, selectors, services
from agora.components.accountability.forms import (
    BulkStatusForm,
    CsvImportForm,
    ImportForm,
    MilestoneForm,
    PhotoForm,
    ResultForm,
    StatusForm,
)
from agora.components.accountability.models import Milestone, MilestonePhoto, Result, Status
from agora.components.models import Component
from agora.core.formats import percent
from agora.core.translations import translated
from agora.web.ordered_list import Column, Labels, OrderedList

MAX_CSV_BYTES = 5 * 1024 * 1024


def _context(request, **extra):
    return {"space": request.space, "component": request.component, "bo_section": "spaces", **extra}


def _url_kwargs(request):
    return {"space_id": request.space.pk, "component_id": request.component.pk}


def _back(request, name="index", **kwargs):
    return redirect(f"accountability_admin:{name}", **_url_kwargs(request), **kwargs)


def _result_or_404(request, result_id) -> Result:
    result = Result.objects.filter(component=request.component, pk=result_id).select_related("status").first()
    if result is None:
        raise Http404
    result.component = request.component
    return result


def _milestone_or_404(request, milestone_id) -> Milestone:
    milestone = (
        Milestone.objects.filter(result__component=request.component, pk=milestone_id).select_related("result").first()
    )
    if milestone is None:
        raise Http404
    milestone.result.component = request.component
    return milestone


def _photo_or_404(request, photo_id) -> MilestonePhoto:
    photo = (
        MilestonePhoto.objects.filter(milestone__result__component=request.component, pk=photo_id)
        .select_related("milestone__result")
        .first()
    )
    if photo is None:
        raise Http404
    photo.milestone.result.component = request.component
    return photo


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


# --- results ------------------------------------------------------------------------


@component_admin_view
def result_list(request):
    component = request.component
    rows = selectors.tree(component)
    bulk_form = BulkStatusForm(component=component)
    waiting = sum(
        len(services.importable_projects(component, source))
        for source in _sources(component, "budgets").filter(space=component.space)
    )
    return render(
        request,
        "accountability/admin/list.html",
        _context(
            request,
            rows=rows,
            bulk_form=bulk_form,
            statuses=selectors.statuses(component),
            dropped_count=sum(1 for result, _depth in rows if result.source_state),
            waiting_projects=waiting,
        ),
    )


def _save_result(request, result=None):
    component = request.component
    posting = request.method == "POST"
    form = ResultForm(
        request.POST if posting else None,
        instance=result or Result(component=component),
        organization=request.organization,
        component=component,
    )
    if posting and form.is_valid():
        try:
            if result is None:
                result = services.create_result(actor=request.user, component=component, **form.service_fields())
                messages.success(request, _("The result has been created."))
            else:
                services.update_result(actor=request.user, result=result, **form.service_fields())
                messages.success(request, _("The result has been saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _back(request, "edit", result_id=result.pk)
    milestones = []
    if result is not None and result.pk:
        milestones = list(result.milestones.prefetch_related("photos"))
    return render(
        request,
        "accountability/admin/form.html",
        _context(
            request,
            form=form,
            result=result if result and result.pk else None,
            milestones=milestones,
        ),
    )


@component_admin_view
def result_create(request):
    return _save_result(request)


@component_admin_view
def result_edit(request, result_id):
    return _save_result(request, _result_or_404(request, result_id))


@component_admin_view
def result_delete(request, result_id):
    result = _result_or_404(request, result_id)
    if request.method == "POST":
        services.delete_result(actor=request.user, result=result)
        messages.success(request, _("The result has been deleted."))
        return _back(request)
    return render(
        request,
        "accountability/admin/delete.html",
        _context(
            request,
            object_title=str(result),
            children=result.children.count(),
            cancel_url=_edit_url(request, result),
            message=_("The result, its sub-results, milestones and photos will be removed. This cannot be undone."),
        ),
    )


def _edit_url(request, result):
    return reverse("accountability_admin:edit", kwargs={**_url_kwargs(request), "result_id": result.pk})


@component_admin_view
def bulk_status(request):
    refused = _post_only(request)
    if refused:
        return refused
    form = BulkStatusForm(request.POST, component=request.component)
    if form.is_valid():
        count = services.bulk_change_status(
            actor=request.user,
            component=request.component,
            results=form.cleaned_data["results"],
            status=form.cleaned_data["status"],
        )
        messages.success(
            request,
            ngettext("%(count)s result now has this status.", "%(count)s results now have this status.", count)
            % {"count": count},
        )
    else:
        messages.error(request, _("Choose at least one result and a status."))
    return _back(request)


# --- import -------------------------------------------------------------------------


def _sources(component, manifest_name):
    return (
        Component.objects.filter(space__organization=component.space.organization, manifest_name=manifest_name)
        .select_related("space")
        .order_by("space_id", "weight")
    )


@component_admin_view
def import_results(request):
    """Import the accepted ideas of a proposals component or the selected
    projects of a budgets component, in one action."""
    component = request.component
    kinds = {
        "proposals": (_sources(component, "proposals"), services.import_proposals, services.importable_proposals),
        "budgets": (_sources(component, "budgets"), services.import_projects, services.importable_projects),
    }
    forms_by_kind = {}
    for kind, (sources, _do, _preview) in kinds.items():
        bound = request.method == "POST" and request.POST.get("kind") == kind
        forms_by_kind[kind] = ImportForm(
            request.POST if bound else None, component=component, sources=sources, prefix=kind
        )
    kind = request.POST.get("kind") if request.method == "POST" else None
    if kind in kinds and forms_by_kind[kind].is_valid():
        data = forms_by_kind[kind].cleaned_data
        try:
            created = kinds[kind][1](
                actor=request.user, component=component, source=data["source"], status=data["status"]
            )
        except ValidationError as error:
            forms_by_kind[kind].add_error(None, error)
        else:
            if created:
                messages.success(
                    request,
                    ngettext("%(count)s result has been created.", "%(count)s results have been created.", len(created))
                    % {"count": len(created)},
                )
            else:
                messages.info(request, _("Nothing to import: every item already has its result."))
            return _back(request)
    previews = {}
    for kind_name, (sources, _do, preview) in kinds.items():
        previews[kind_name] = [(source, len(list(preview(component, source)))) for source in sources]
    return render(
        request, "accountability/admin/import.html", _context(request, forms_by_kind=forms_by_kind, previews=previews)
    )


@component_admin_view
def csv_export(request):
    response = HttpResponse(csv_io.export_csv(request.component, request), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-{request.component.pk}.csv"'
    return response


@component_admin_view
def csv_import(request):
    form = CsvImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            form.add_error("file", _("This file is too large (5 MB at most)."))
        else:
            try:
                report = csv_io.import_csv(actor=request.user, component=request.component, data=upload.read())
            except csv_io.ResultImportError as error:
                errors = error.errors
            else:
                messages.success(
                    request,
                    _("Import done: %(created)s created, %(updated)s updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return _back(request)
    return render(
        request,
        "accountability/admin/csv_import.html",
        _context(
            request,
            form=form,
            import_errors=errors,
            columns=csv_io.COLUMNS,
        ),
    )


# --- milestones and photos ----------------------------------------------------------


def _save_milestone(request, result, milestone=None):
    posting = request.method == "POST"
    form = MilestoneForm(
        request.POST if posting else None,
        instance=milestone or Milestone(result=result),
        organization=request.organization,
    )
    if posting and form.is_valid():
        fields = {
            "date": form.cleaned_data["date"],
            "title": form.translated_value("title"),
            "description": form.translated_value("description"),
        }
        try:
            if milestone is None:
                services.create_milestone(actor=request.user, result=result, **fields)
                messages.success(request, _("The milestone has been added."))
            else:
                services.update_milestone(actor=request.user, milestone=milestone, **fields)
                messages.success(request, _("The milestone has been saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _back(request, "edit", result_id=result.pk)
    return render(
        request,
        "accountability/admin/milestone_form.html",
        _context(
            request,
            form=form,
            result=result,
            milestone=milestone,
            photos=list(milestone.photos.all()) if milestone else [],
        ),
    )


@component_admin_view
def milestone_create(request, result_id):
    return _save_milestone(request, _result_or_404(request, result_id))


@component_admin_view
def milestone_edit(request, milestone_id):
    milestone = _milestone_or_404(request, milestone_id)
    return _save_milestone(request, milestone.result, milestone)


@component_admin_view
def milestone_delete(request, milestone_id):
    milestone = _milestone_or_404(request, milestone_id)
    result = milestone.result
    if request.method == "POST":
        services.delete_milestone(actor=request.user, milestone=milestone)
        messages.success(request, _("The milestone has been deleted."))
        return _back(request, "edit", result_id=result.pk)
    return render(
        request,
        "accountability/admin/delete.html",
        _context(
            request,
            object_title=str(milestone),
            cancel_url=_edit_url(request, result),
            message=_("The milestone and its photos will be removed. This cannot be undone."),
        ),
    )


def _milestone_url(request, milestone):
    return reverse("accountability_admin:milestone_edit", kwargs={**_url_kwargs(request), "milestone_id": milestone.pk})


def _save_photo(request, milestone, photo=None):
    posting = request.method == "POST"
    form = PhotoForm(
        request.POST if posting else None,
        request.FILES if posting else None,
        instance=photo or MilestonePhoto(milestone=milestone),
        organization=request.organization,
    )
    if posting and form.is_valid():
        try:
            if photo is None:
                services.add_photo(
                    actor=request.user,
                    milestone=milestone,
                    image=form.cleaned_data["image"],
                    alt=form.translated_value("alt"),
                )
                messages.success(request, _("The photo has been added."))
            else:
                services.update_photo(
                    actor=request.user, photo=photo, alt=form.translated_value("alt"), weight=photo.weight
                )
                messages.success(request, _("The photo has been saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(_milestone_url(request, milestone))
    return render(
        request,
        "accountability/admin/photo_form.html",
        _context(
            request,
            form=form,
            milestone=milestone,
            photo=photo,
            cancel_url=_milestone_url(request, milestone),
        ),
    )


@component_admin_view
def photo_create(request, milestone_id):
    return _save_photo(request, _milestone_or_404(request, milestone_id))


@component_admin_view
def photo_edit(request, milestonephoto_id):
    photo = _photo_or_404(request, milestonephoto_id)
    return _save_photo(request, photo.milestone, photo)


@component_admin_view
def photo_delete(request, milestonephoto_id):
    photo = _photo_or_404(request, milestonephoto_id)
    milestone = photo.milestone
    if request.method == "POST":
        services.delete_photo(actor=request.user, photo=photo)
        messages.success(request, _("The photo has been deleted."))
        return redirect(_milestone_url(request, milestone))
    return render(
        request,
        "accountability/admin/delete.html",
        _context(
            request,
            object_title=str(photo),
            cancel_url=_milestone_url(request, milestone),
            message=_("The photo will be removed. This cannot be undone."),
        ),
    )


# --- statuses: an ordered list (agora.web.ordered_list); their order is the "Order" field ----------


def _status_fields(form) -> dict:
    return {
        "token": form.cleaned_data["token"],
        "name": form.translated_value("name"),
        "description": form.translated_value("description"),
        "progress": form.cleaned_data["progress"],
        "weight": form.cleaned_data["weight"] or 0,
    }


class StatusList(OrderedList):
    namespace, prefix, id_kwarg = "accountability_admin", "statuses/", "status_id"
    names = {"list": "statuses", "create": "status_create", "edit": "status_edit", "delete": "status_delete"}
    form_class = StatusForm
    columns = (
        Column(gettext_lazy("Name"), lambda status: translated(status.name)),
        Column(gettext_lazy("Code"), lambda status: status.token),
        Column(
            gettext_lazy("Default progress"),
            lambda status: "—" if status.progress is None else percent(status.progress),
        ),
    )
    labels = Labels(
        title=gettext_lazy("Statuses"),
        new=gettext_lazy("New status"),
        edit=gettext_lazy("Edit the status “%(title)s”"),
        delete_warning=gettext_lazy("Results with this status keep their progress and will have no status."),
        caption=gettext_lazy("Statuses, in order"),
        empty=gettext_lazy("No status yet."),
        created=gettext_lazy("The status has been saved."),
        saved=gettext_lazy("The status has been saved."),
        deleted=gettext_lazy("The status has been deleted."),
    )
    templates = {"list": "accountability/admin/statuses.html"}

    def queryset(self, request):
        return Status.objects.filter(component=request.component)

    def create(self, request, form):
        return services.create_status(actor=request.user, component=request.component, **_status_fields(form))

    def update(self, request, item, form):
        return services.update_status(actor=request.user, status=item, **_status_fields(form))

    def delete(self, request, item):
        services.delete_status(actor=request.user, status=item)


STATUSES = StatusList()


@component_admin_view
def status_defaults(request):
    refused = _post_only(request)
    if refused:
        return refused
    created = services.create_default_statuses(actor=request.user, component=request.component)
    if created:
        messages.success(request, _("The usual statuses have been created."))
    return _back(request, "statuses")
