from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.backoffice import selectors
from agora.core.forms import model_values
from agora.core.translations import translated
from agora.spaces import services
from agora.spaces.copying import copy_space, plan_copy
from agora.spaces.forms import CopySpaceForm, ProcessGroupForm, SpaceForm
from agora.spaces.models import ProcessGroup, Space
from agora.web.access import backoffice_view
from agora.web.views import call_service, done, paginate


@backoffice_view("backoffice.access")
def space_list(request):
    spaces = selectors.spaces_for(request.user, request.organization)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    if kind in Space.Kind.values:
        spaces = spaces.filter(kind=kind)
    if status == "published":
        spaces = spaces.filter(published_at__isnull=False)
    elif status == "draft":
        spaces = spaces.filter(published_at__isnull=True)
    if query:
        spaces = spaces.filter(slug__icontains=query) | spaces.filter(title__icontains=query)
    return render(
        request,
        "backoffice/spaces/list.html",
        {
            "bo_section": "spaces",
            "page": paginate(request, spaces),
            "kinds": Space.Kind.choices,
            "kind": kind,
            "status": status,
            "query": query,
            "can_create": permissions.can(request.user, "space.create", request.organization),
        },
    )


@backoffice_view("space.create")
def space_create(request, kind):
    form = SpaceForm(
        request.POST or None,
        request.FILES or None,
        instance=Space(organization=request.organization, kind=kind),
        organization=request.organization,
        kind=kind,
    )
    if request.method == "POST" and form.is_valid():
        space, refused = call_service(
            request,
            services.create_space,
            form=form,
            organization=request.organization,
            kind=kind,
            values=model_values(form),
        )
        if refused:
            return refused
        if space:
            return done(request, _("The space is created as a draft."), "backoffice:space", space.pk)
    title = _("New process") if kind == Space.Kind.PROCESS else _("New assembly")
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "spaces",
            "form": form,
            "title": title,
            "multipart": True,
            "submit": _("Create"),
            "cancel_url": reverse("backoffice:spaces"),
        },
    )


@backoffice_view("space.preview", target="space")
def space_detail(request, space_id):
    space = request.space
    return render(
        request,
        "backoffice/spaces/detail.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "overview",
            "can_manage": permissions.can(request.user, "space.manage", space),
            "phases": space.phases.order_by("position", "id"),
            "components": space.components.order_by("weight", "id"),
        },
    )


@backoffice_view("space.manage", target="space")
def space_edit(request, space_id):
    space = request.space
    form = SpaceForm(
        request.POST or None, request.FILES or None, instance=space, organization=request.organization, kind=space.kind
    )
    if request.method == "POST" and form.is_valid():
        updated, refused = call_service(
            request, services.update_space, form=form, space=space, values=model_values(form)
        )
        if refused:
            return refused
        if updated:
            return done(request, _("The space is saved."), "backoffice:space", space.pk)
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "edit",
            "form": form,
            "multipart": True,
            "title": _("Edit “%(space)s”") % {"space": space},
            "submit": _("Save"),
            "cancel_url": reverse("backoffice:space", args=[space.pk]),
        },
    )


@backoffice_view("space.manage", target="space", post_only=True)
def space_publish(request, space_id):
    _result, refused = call_service(request, services.publish_space, space=request.space)
    return refused or done(request, _("The space is published."), "backoffice:space", space_id)


@backoffice_view("space.manage", target="space", post_only=True)
def space_unpublish(request, space_id):
    _result, refused = call_service(request, services.unpublish_space, space=request.space)
    return refused or done(
        request, _("The space is back to draft: only staff can see it."), "backoffice:space", space_id
    )


@backoffice_view("space.manage", target="space")
def space_delete(request, space_id):
    space = request.space
    if request.method == "POST":
        deleted, refused = call_service(request, services.delete_space, space=space)
        if refused:
            return refused
        if deleted:
            return done(request, _("The space is deleted."), "backoffice:spaces")
        return redirect("backoffice:space", space.pk)
    return render(
        request,
        "backoffice/confirm.html",
        {
            "bo_section": "spaces",
            "space": space,
            "title": _("Delete “%(space)s”?") % {"space": space},
            "question": _(
                "The space, its phases and its members are deleted for good. A space that still holds "
                "components cannot be deleted."
            ),
            "submit": _("Delete the space"),
            "cancel_url": reverse("backoffice:space", args=[space.pk]),
        },
    )


# --- process groups ------------------------------------------------------------------


def _group(request, group_id):
    return get_object_or_404(ProcessGroup, pk=group_id, organization=request.organization)


@backoffice_view("space.create")
def group_list(request):
    groups = ProcessGroup.objects.filter(organization=request.organization)
    return render(request, "backoffice/spaces/groups.html", {"bo_section": "groups", "groups": groups})


@backoffice_view("space.create")
def group_form(request, group_id=None):
    group = _group(request, group_id) if group_id else ProcessGroup(organization=request.organization)
    form = ProcessGroupForm(request.POST or None, instance=group, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        values = {"title": form.translated_value("title"), "description": form.translated_value("description")}
        if group_id:
            saved, refused = call_service(request, services.update_process_group, form=form, group=group, **values)
        else:
            saved, refused = call_service(
                request, services.create_process_group, form=form, organization=request.organization, **values
            )
        if refused:
            return refused
        if saved:
            return done(request, _("The process group is saved."), "backoffice:groups")
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "groups",
            "form": form,
            "title": _("Edit the process group") if group_id else _("New process group"),
            "submit": _("Save"),
            "cancel_url": reverse("backoffice:groups"),
        },
    )


@backoffice_view("space.create")
def group_delete(request, group_id):
    group = _group(request, group_id)
    if request.method == "POST":
        deleted, refused = call_service(request, services.delete_process_group, group=group)
        return refused or done(request, _("The process group is deleted."), "backoffice:groups")
    return render(
        request,
        "backoffice/confirm.html",
        {
            "bo_section": "groups",
            "title": _("Delete the process group “%(group)s”?") % {"group": group},
            "question": _("Its processes stay, without a group."),
            "submit": _("Delete"),
            "cancel_url": reverse("backoffice:groups"),
        },
    )


@backoffice_view("space.copy", target="space")
def space_copy(request, space_id):
    """Copy a space for its next edition: the form, then a confirmation
    screen saying what will be copied (and what not), then the copy."""
    space = request.space
    form = CopySpaceForm(request.POST or None, space=space)
    context = {
        "bo_section": "spaces",
        "space": space,
        "tab": "copy",
        "form": form,
        "title": _("Copy “%(space)s” for its next edition") % {"space": space},
    }
    if request.method == "POST" and form.is_valid():
        values = {
            "title": form.title(),
            "slug": form.cleaned_data["slug"],
            "new_start": form.cleaned_data.get("new_start"),
            "copy_roles": form.cleaned_data["copy_roles"],
        }
        if "change" in request.POST:
            pass  # back to the form, as filled
        elif "confirm" in request.POST:
            copy, refused = call_service(request, copy_space, form=form, space=space, **values)
            if refused:
                return refused
            if copy:
                return done(
                    request,
                    _("The copy is created as a draft: check its pages and settings, then publish it."),
                    "backoffice:space",
                    copy.pk,
                )
        else:
            context.update(
                confirming=True,
                plan=plan_copy(space, new_start=values["new_start"]),
                copy_title=translated(values["title"]),
            )
    return render(request, "backoffice/spaces/copy.html", context)
