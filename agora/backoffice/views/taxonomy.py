from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.taxonomy import services
from agora.taxonomy.forms import CategoryForm, ScopeForm, ScopeImportForm, ScopeTypeForm
from agora.taxonomy.models import Category, Scope, ScopeType
from agora.web.access import backoffice_view
from agora.web.views import call_service, done, paginate


def _section(cancel):
    return "categories" if "categor" in cancel else "scopes"


def _form_page(request, form, title, cancel, **extra):
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": _section(cancel),
            "form": form,
            "title": title,
            "submit": _("Save"),
            "cancel_url": reverse(cancel),
            **extra,
        },
    )


def _confirm(request, title, question, cancel):
    return render(
        request,
        "backoffice/confirm.html",
        {
            "bo_section": _section(cancel),
            "title": title,
            "question": question,
            "submit": _("Delete"),
            "cancel_url": reverse(cancel),
        },
    )


# --- categories ------------------------------------------------------------------


@backoffice_view("taxonomy.manage")
def category_list(request):
    categories = Category.objects.filter(organization=request.organization, parent__isnull=True).prefetch_related(
        "children"
    )
    return render(
        request, "backoffice/taxonomy/categories.html", {"bo_section": "categories", "categories": categories}
    )


@backoffice_view("taxonomy.manage")
def category_form(request, category_id=None):
    organization = request.organization
    category = (
        get_object_or_404(Category, pk=category_id, organization=organization)
        if category_id
        else Category(organization=organization)
    )
    form = CategoryForm(request.POST or None, request.FILES or None, instance=category, organization=organization)
    if request.method == "POST" and form.is_valid():
        values = {
            "name": form.translated_value("name"),
            "description": form.translated_value("description"),
            "parent": form.cleaned_data.get("parent"),
            "weight": form.cleaned_data.get("weight") or 0,
            "image": form.image_change(),
            "image_alt": form.translated_value("image_alt"),
        }
        if category_id:
            category = Category.objects.get(pk=category_id)  # fresh: the form changed the instance
            saved, refused = call_service(request, services.update_category, form=form, category=category, **values)
        else:
            saved, refused = call_service(
                request, services.create_category, form=form, organization=organization, **values
            )
        if refused:
            return refused
        if saved:
            return done(request, _("The category is saved."), "backoffice:categories")
    return _form_page(
        request, form, _("Edit the category") if category_id else _("New category"), "backoffice:categories"
    )


@backoffice_view("taxonomy.manage")
def category_delete(request, category_id):
    category = get_object_or_404(Category, pk=category_id, organization=request.organization)
    if request.method == "POST":
        _result, refused = call_service(request, services.delete_category, category=category)
        return refused or done(request, _("The category is deleted."), "backoffice:categories")
    return _confirm(
        request,
        _("Delete the category “%(category)s”?") % {"category": category},
        _("Its sub-categories are deleted too."),
        "backoffice:categories",
    )


# --- scope types ------------------------------------------------------------------------


@backoffice_view("taxonomy.manage")
def scope_type_list(request):
    scope_types = ScopeType.objects.filter(organization=request.organization)
    return render(request, "backoffice/taxonomy/scope_types.html", {"bo_section": "scopes", "scope_types": scope_types})


@backoffice_view("taxonomy.manage")
def scope_type_form(request, scope_type_id=None):
    organization = request.organization
    scope_type = (
        get_object_or_404(ScopeType, pk=scope_type_id, organization=organization)
        if scope_type_id
        else ScopeType(organization=organization)
    )
    form = ScopeTypeForm(request.POST or None, instance=scope_type, organization=organization)
    if request.method == "POST" and form.is_valid():
        values = {"name": form.translated_value("name"), "plural": form.translated_value("plural")}
        if scope_type_id:
            saved, refused = call_service(
                request, services.update_scope_type, form=form, scope_type=scope_type, **values
            )
        else:
            saved, refused = call_service(
                request, services.create_scope_type, form=form, organization=organization, **values
            )
        if refused:
            return refused
        if saved:
            return done(request, _("The scope type is saved."), "backoffice:scope_types")
    return _form_page(
        request, form, _("Edit the scope type") if scope_type_id else _("New scope type"), "backoffice:scope_types"
    )


@backoffice_view("taxonomy.manage")
def scope_type_delete(request, scope_type_id):
    scope_type = get_object_or_404(ScopeType, pk=scope_type_id, organization=request.organization)
    if request.method == "POST":
        deleted, refused = call_service(request, services.delete_scope_type, scope_type=scope_type)
        if refused:
            return refused
        if deleted:
            return done(request, _("The scope type is deleted."), "backoffice:scope_types")
        return redirect("backoffice:scope_types")
    return _confirm(
        request,
        _("Delete the scope type “%(type)s”?") % {"type": scope_type},
        _("Only a type that no scope uses can be deleted."),
        "backoffice:scope_types",
    )


# --- scopes ---------------------------------------------------------------------------------


@backoffice_view("taxonomy.manage")
def scope_list(request):
    scopes = Scope.objects.filter(organization=request.organization).select_related("scope_type", "parent")
    query = request.GET.get("q", "").strip()
    if query:
        scopes = scopes.filter(code__icontains=query) | scopes.filter(name__icontains=query)
    return render(
        request,
        "backoffice/taxonomy/scopes.html",
        {
            "bo_section": "scopes",
            "page": paginate(request, scopes, 50),
            "query": query,
        },
    )


@backoffice_view("taxonomy.manage")
def scope_form(request, scope_id=None):
    organization = request.organization
    scope = (
        get_object_or_404(Scope, pk=scope_id, organization=organization)
        if scope_id
        else Scope(organization=organization)
    )
    form = ScopeForm(request.POST or None, instance=scope, organization=organization)
    if request.method == "POST" and form.is_valid():
        values = {
            "name": form.translated_value("name"),
            "code": form.cleaned_data["code"],
            "scope_type": form.cleaned_data.get("scope_type"),
            "parent": form.cleaned_data.get("parent"),
        }
        if scope_id:
            scope = Scope.objects.get(pk=scope_id)
            saved, refused = call_service(request, services.update_scope, form=form, scope=scope, **values)
        else:
            saved, refused = call_service(
                request, services.create_scope, form=form, organization=organization, **values
            )
        if refused:
            return refused
        if saved:
            return done(request, _("The scope is saved."), "backoffice:scopes")
    return _form_page(request, form, _("Edit the scope") if scope_id else _("New scope"), "backoffice:scopes")


@backoffice_view("taxonomy.manage")
def scope_delete(request, scope_id):
    scope = get_object_or_404(Scope, pk=scope_id, organization=request.organization)
    if request.method == "POST":
        _result, refused = call_service(request, services.delete_scope, scope=scope)
        return refused or done(request, _("The scope is deleted."), "backoffice:scopes")
    return _confirm(
        request,
        _("Delete the scope “%(scope)s”?") % {"scope": scope},
        _("The scopes inside it are deleted too."),
        "backoffice:scopes",
    )


@backoffice_view("taxonomy.manage")
def scope_import(request):
    form = ScopeImportForm(request.POST or None, request.FILES or None)
    import_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result, refused = call_service(
                request,
                services.import_scopes_csv,
                form=form,
                organization=request.organization,
                data=form.cleaned_data["file"].read(),
            )
        except services.ScopeImportError as error:
            import_errors, result, refused = error.errors, None, None
        if refused:
            return refused
        if result:
            return done(
                request,
                _("Import done: %(created)s scopes created, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
                "backoffice:scopes",
            )
    return render(
        request,
        "backoffice/taxonomy/scope_import.html",
        {
            "bo_section": "scopes",
            "form": form,
            "import_errors": import_errors,
        },
    )
