"""/system/organizations/: the platform admins create and edit the
installation's organizations (the rest of /system/ is Django's admin)."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404
from django.http.request import validate_host
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.models import Invitation
from agora.backoffice.forms import AdminInvitationForm, SystemOrganizationCreateForm, SystemOrganizationForm
from agora.core import services
from agora.core.models import Organization
from agora.web.access import refuse
from agora.web.views import call_service, done


def system_view(view):
    """Platform admins only, whatever organization's site the screen is opened on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        decision = permissions.can(request.user, "system.manage")
        if not decision:
            return refuse(request, decision)
        return view(request, *args, **kwargs)

    wrapper.backoffice_action = "system.manage"
    return wrapper


def _served(organization) -> bool:
    """Whether this installation's settings let requests for the host through."""
    return validate_host(organization.host, settings.ALLOWED_HOSTS)


@system_view
def organization_list(request):
    organizations = Organization.objects.annotate(
        admins=Count("roles", filter=Q(roles__name="org_admin", roles__space=None), distinct=True),
        pending=Count(
            "invitations", filter=Q(invitations__role="org_admin", invitations__accepted_at=None), distinct=True
        ),
    ).order_by("name")
    rows = [(organization, _served(organization)) for organization in organizations]
    return render(request, "backoffice/system/organizations.html", {"bo_section": "system", "rows": rows})


@system_view
def organization_create(request):
    form = SystemOrganizationCreateForm(
        request.POST or None,
        initial={
            "available_languages": [code for code, _name in settings.LANGUAGES],
            "default_language": settings.LANGUAGE_CODE,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created, refused = call_service(
            request,
            services.create_organization,
            form=form,
            name=data["name"],
            host=data["host"],
            default_language=data["default_language"],
            available_languages=data["available_languages"],
            first_admin_email=data["first_admin_email"],
        )
        if refused:
            return refused
        if created:
            organization, invitation = created
            return done(
                request,
                _("%(name)s is created; an invitation was sent to %(email)s.")
                % {"name": organization.name, "email": invitation.email},
                "system:organization_edit",
                organization.pk,
            )
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "system",
            "form": form,
            "title": _("New organization"),
            "submit": _("Create and invite"),
            "cancel_url": reverse("system:organizations"),
        },
    )


@system_view
def organization_edit(request, organization_id):
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    posted = request.POST if request.method == "POST" else None
    form = SystemOrganizationForm(
        posted if posted and "host" in posted else None,
        initial={
            "name": organization.name,
            "host": organization.host,
            "default_language": organization.default_language,
            "available_languages": organization.languages,
        },
    )
    invite = AdminInvitationForm(posted if posted and "email" in posted else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        saved, refused = call_service(
            request,
            services.update_organization_system,
            form=form,
            organization=organization,
            name=data["name"],
            host=data["host"],
            default_language=data["default_language"],
            available_languages=data["available_languages"],
        )
        if refused:
            return refused
        if saved:
            return done(request, _("The organization was saved."), "system:organizations")
    if invite.is_bound and invite.is_valid():
        invitation, refused = call_service(
            request,
            services.invite_organization_admin,
            form=invite,
            organization=organization,
            email=invite.cleaned_data["email"],
        )
        if refused:
            return refused
        if invitation:
            return done(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
                "system:organization_edit",
                organization.pk,
            )
    invitations = Invitation.objects.filter(organization=organization, role="org_admin").order_by("-created_at")
    return render(
        request,
        "backoffice/system/organization_edit.html",
        {
            "bo_section": "system",
            "edited": organization,
            "form": form,
            "invite": invite,
            "invitations": invitations,
            "served": _served(organization),
        },
    )
