from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.spaces import services
from agora.spaces.forms import AssemblyMemberForm, SpaceMemberForm
from agora.spaces.models import AssemblyMember, SpaceMember
from agora.web.access import backoffice_view
from agora.web.views import call_service, done, manage_refusal


def _assembly(request):
    if request.space.is_process:
        raise Http404
    return request.space


@backoffice_view("space.preview", target="space")
def assembly_members(request, space_id):
    space = _assembly(request)
    form = AssemblyMemberForm(request.POST or None, organization=request.organization)
    if request.method == "POST":
        refusal = manage_refusal(request, space)
        if refusal:
            return refusal
        if form.is_valid():
            data = form.cleaned_data
            added, refused = call_service(
                request,
                services.add_assembly_member,
                form=form,
                space=space,
                user=data.get("person"),
                full_name=data.get("full_name", ""),
                position=data["position"],
                weight=data.get("weight") or 0,
            )
            if refused:
                return refused
            if added:
                return done(
                    request, _("%(member)s is added.") % {"member": added}, "backoffice:assembly_members", space.pk
                )
    return render(
        request,
        "backoffice/spaces/assembly_members.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "assembly_members",
            "form": form,
            "members": space.assembly_members.select_related("user"),
            "can_manage": permissions.can(request.user, "space.manage", space),
        },
    )


@backoffice_view("space.manage", target="space")
def assembly_member_edit(request, space_id, member_id):
    space = _assembly(request)
    member = get_object_or_404(AssemblyMember.objects.select_related("user", "space"), pk=member_id, space=space)
    form = AssemblyMemberForm(request.POST or None, instance=member, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved, refused = call_service(
            request,
            services.update_assembly_member,
            form=form,
            member=member,
            position=data["position"],
            weight=data.get("weight") or 0,
            full_name=data.get("full_name"),
        )
        if refused:
            return refused
        if saved:
            return done(request, _("The member is saved."), "backoffice:assembly_members", space.pk)
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "assembly_members",
            "form": form,
            "title": _("Edit the member %(member)s") % {"member": member},
            "submit": _("Save"),
            "cancel_url": reverse("backoffice:assembly_members", args=[space.pk]),
        },
    )


@backoffice_view("space.manage", target="space", post_only=True)
def assembly_member_remove(request, space_id, member_id):
    member = get_object_or_404(AssemblyMember, pk=member_id, space=_assembly(request))
    _result, refused = call_service(request, services.remove_assembly_member, member=member)
    return refused or done(request, _("The member is removed."), "backoffice:assembly_members", space_id)


@backoffice_view("space.preview", target="space")
def space_members(request, space_id):
    space = request.space
    form = SpaceMemberForm(request.POST or None, organization=request.organization)
    if request.method == "POST":
        refusal = manage_refusal(request, space)
        if refusal:
            return refusal
        if form.is_valid():
            added, refused = call_service(
                request, services.add_space_member, form=form, space=space, user=form.cleaned_data["person"]
            )
            if refused:
                return refused
            if added:
                return done(
                    request,
                    _("%(person)s can now see this private space.")
                    % {"person": form.cleaned_data["person"].public_name},
                    "backoffice:space_members",
                    space.pk,
                )
    return render(
        request,
        "backoffice/spaces/space_members.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "space_members",
            "form": form,
            "members": space.members.select_related("user").order_by("user__nickname"),
            "can_manage": permissions.can(request.user, "space.manage", space),
        },
    )


@backoffice_view("space.manage", target="space", post_only=True)
def space_member_remove(request, space_id, member_id):
    member = get_object_or_404(SpaceMember.objects.select_related("user", "space"), pk=member_id, space=request.space)
    _result, refused = call_service(request, services.remove_space_member, member=member)
    return refused or done(request, _("The member is removed."), "backoffice:space_members", space_id)
