from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.components.access import component_admin_view
from agora.components.pages import selectors, services
from agora.components.pages.forms import PageForm
from agora.components.pages.models import Page


def _context(request, **extra):
    return {"space": request.space, "component": request.component, "bo_section": "spaces", **extra}


def _page_or_404(request, page_id) -> Page:
    page = selectors.pages_of(request.component).filter(pk=page_id).first()
    if page is None:
        raise Http404
    page.component = request.component
    return page


@component_admin_view
def page_list(request):
    pages = list(selectors.pages_of(request.component))
    for page in pages:
        page.component = request.component
    return render(request, "pages/admin/list.html", _context(request, pages=pages))


def _save(request, page=None):
    component = request.component
    form = PageForm(
        request.POST if request.method == "POST" else None, instance=page or Page(component=component),
        organization=request.organization, component=component,
    )
    if request.method == "POST" and form.is_valid():
        fields = {
            "title": form.translated_value("title"),
            "body": form.translated_value("body"),
            "slug": form.cleaned_data["slug"],
        }
        try:
            if page is None:
                services.create_page(actor=request.user, component=component, **fields)
                messages.success(request, _("The page has been created."))
            else:
                services.update_page(actor=request.user, page=page, **fields)
                messages.success(request, _("The page has been saved."))
        except ValidationError as error:
            form.add_error("slug", error)
        else:
            return redirect("pages_admin:index", space_id=component.space_id, component_id=component.pk)
    return render(request, "pages/admin/form.html", _context(request, form=form, page=page))


@component_admin_view
def page_create(request):
    return _save(request)


@component_admin_view
def page_edit(request, page_id):
    return _save(request, _page_or_404(request, page_id))


@component_admin_view
def page_delete(request, page_id):
    page = _page_or_404(request, page_id)
    if request.method == "POST":
        services.delete_page(actor=request.user, page=page)
        messages.success(request, _("The page has been deleted."))
        return redirect("pages_admin:index", space_id=request.space.pk, component_id=request.component.pk)
    return render(request, "pages/admin/delete.html", _context(request, page=page))


@component_admin_view
@require_POST
def page_move(request, page_id):
    page = _page_or_404(request, page_id)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.move_page(actor=request.user, page=page, direction=direction)
        messages.success(request, _("The order of the pages has been saved."))
    return redirect("pages_admin:index", space_id=request.space.pk, component_id=request.component.pk)
