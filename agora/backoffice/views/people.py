from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora.accounts.forms import InvitationForm
from agora.accounts.models import Invitation, User
from agora.accounts.services import create_invitation, reset_second_factor
from agora.backoffice import selectors
from agora.backoffice.forms import RoleForm
from agora.spaces import services
from agora.spaces.models import Role
from agora.web.access import backoffice_view
from agora.web.views import call_service, done, paginate


@backoffice_view("participants.manage")
def participant_list(request):
    query = request.GET.get("q", "").strip()
    memberships = selectors.participants(request.organization, query)
    return render(
        request,
        "backoffice/people/participants.html",
        {
            "bo_section": "participants",
            "page": paginate(request, memberships),
            "query": query,
        },
    )


@backoffice_view("participants.manage")
def roles(request):
    form = RoleForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role, refused = call_service(
            request,
            services.grant_role,
            form=form,
            organization=request.organization,
            user=data["person"],
            name=data["name"],
            space=data.get("space"),
        )
        if refused:
            return refused
        if role:
            return done(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": data["person"].public_name, "role": role.get_name_display().lower()},
                "backoffice:roles",
            )
    staff_roles = list(selectors.roles(request.organization))
    return render(
        request,
        "backoffice/people/roles.html",
        {
            "bo_section": "roles",
            "form": form,
            "roles": staff_roles,
            "with_second_factor": selectors.with_second_factor(staff_roles),
        },
    )


@backoffice_view("participants.manage", post_only=True)
def role_revoke(request, role_id):
    role = get_object_or_404(
        Role.objects.select_related("user", "space", "organization"), pk=role_id, organization=request.organization
    )
    revoked, refused = call_service(request, services.revoke_role, role=role)
    if refused:
        return refused
    if revoked:
        return done(request, _("The role is removed."), "backoffice:roles")

    return redirect("backoffice:roles")


@backoffice_view("participants.manage")
def second_factor_reset(request, user_id):
    """Confirm, then remove a staff member's two-factor authentication."""
    staff = User.objects.filter(roles__organization=request.organization, deleted_at__isnull=True).distinct()
    person = get_object_or_404(staff, pk=user_id)
    if request.method == "POST":
        removed, refused = call_service(request, reset_second_factor, organization=request.organization, user=person)
        if refused:
            return refused
        if removed:
            return done(
                request,
                _("The two-factor authentication of %(person)s is removed; they were told by e-mail.")
                % {"person": person.public_name},
                "backoffice:roles",
            )
        return redirect("backoffice:roles")
    return render(
        request,
        "backoffice/confirm.html",
        {
            "bo_section": "roles",
            "title": _("Remove the two-factor authentication of %(person)s?") % {"person": person.public_name},
            "question": _(
                "Do it only when the person lost their phone and their recovery codes, after checking who "
                "asks. They will log in with their password only until they set it up again."
            ),
            "submit": _("Remove"),
            "cancel_url": reverse("backoffice:roles"),
        },
    )


@backoffice_view("participants.manage")
def invitations(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation, refused = call_service(
            request,
            create_invitation,
            form=form,
            organization=request.organization,
            email=form.cleaned_data["email"],
            base_url=request.organization.base_url,
        )
        if refused:
            return refused
        if invitation:
            return done(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
                "backoffice:invitations",
            )
    sent = Invitation.objects.filter(organization=request.organization).select_related("invited_by")
    return render(
        request,
        "backoffice/people/invitations.html",
        {
            "bo_section": "invitations",
            "form": form,
            "page": paginate(request, sent),
        },
    )
