"""Desk screens (/admin/desk/): for desk agents, who may hold no other staff
role, so access is "desk.use" rather than the back-office's."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from agora import permissions
from agora.accounts.selectors import people_of
from agora.core.formats import before_period
from agora.desk import selectors, services
from agora.desk.forms import AgentForm, ClaimForm, InPersonCheckForm, ManagedParticipantForm
from agora.desk.models import DeskAgent, ManagedParticipant
from agora.verifications import services as verification_services
from agora.verifications.selectors import user_verifications
from agora.web.access import refuse


def desk_view(action="desk.use", *, post_only=False):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            decision = permissions.can(request.user, action, request.organization)
            if not decision:
                return refuse(request, decision)
            if post_only and request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        wrapper.post_only = post_only
        return wrapper

    return decorator


def _render(request, template, **context):
    return render(request, f"desk/{template}", {"bo_section": "desk", **context})


def _managed(request, person_id) -> ManagedParticipant:
    managed = (
        ManagedParticipant.objects.select_related("user")
        .filter(organization=request.organization, user_id=person_id)
        .first()
    )
    if managed is None:
        raise Http404
    return managed


@desk_view()
def index(request):
    query = request.GET.get("q", "").strip()
    people = selectors.managed_participants(request.organization, query)[:100]
    return _render(request, "index.html", people=people, query=query)


@desk_view()
def create(request):
    form = ManagedParticipantForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            managed = services.create_managed_participant(
                actor=request.user, organization=request.organization, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account has been created and verified."))
            return redirect("desk:person", person_id=managed.user_id)
    return _render(request, "create.html", form=form)


@desk_view()
def person(request, person_id):
    managed = _managed(request, person_id)
    verifications = user_verifications(managed.user, request.organization)
    return _render(request, "person.html", managed=managed, verifications=verifications, claim_form=ClaimForm())


@desk_view(post_only=True)
def act(request, person_id):
    managed = _managed(request, person_id)
    try:
        services.start_acting(request=request, managed=managed)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("desk:person", person_id=managed.user_id)
    messages.info(request, _("You are now acting for %(name)s.") % {"name": before_period(managed.user.public_name)})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target or "/")


def stop(request):
    """Anyone may stop acting (even after losing the desk role)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    services.stop_acting(request=request)
    messages.info(request, _("You are no longer acting for someone else."))
    if permissions.can(request.user, "desk.use", request.organization):
        return redirect("desk:index")
    return redirect("home")


@desk_view(post_only=True)
def claim(request, person_id):
    managed = _managed(request, person_id)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            services.start_claim(actor=request.user, request=request, managed=managed, email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("A confirmation link has been sent to this address."))
            return redirect("desk:person", person_id=managed.user_id)
    verifications = user_verifications(managed.user, request.organization)
    return _render(request, "person.html", managed=managed, verifications=verifications, claim_form=form)


@desk_view()
def check(request):
    """An in-person identity check for a person who already has an account."""
    form = InPersonCheckForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user = people_of(request.organization).filter(email__iexact=data.pop("email")).first()
        if user is None:
            form.add_error("email", _("No participant of this organization has this e-mail address."))
        else:
            try:
                verification = verification_services.record_in_person(
                    actor=request.user, organization=request.organization, user=user, **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if verification.status == verification.Status.CONFLICT:
                    messages.warning(
                        request,
                        _("This identity already verifies another account: an officer will settle the conflict."),
                    )
                else:
                    messages.success(request, _("The in-person check has been recorded."))
                return redirect("desk:index")
    return _render(request, "check.html", form=form)


@desk_view("desk.manage_agents")
def agents(request):
    form = AgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only people of this organization, with one answer whether the
        # address is unknown or belongs to another organization's account.
        user = people_of(request.organization).filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("No member or staff of this organization has this e-mail address."))
        else:
            try:
                services.grant_agent(actor=request.user, organization=request.organization, user=user)
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, _("%(name)s is now a desk agent.") % {"name": user.public_name})
                return redirect("desk:agents")
    return _render(request, "agents.html", form=form, agents=selectors.agents(request.organization))


@desk_view("desk.manage_agents", post_only=True)
def agent_revoke(request, agent_id):
    agent = (
        DeskAgent.objects.filter(pk=agent_id, organization=request.organization)
        .select_related("organization", "user")
        .first()
    )
    if agent is None:
        raise Http404
    services.revoke_agent(actor=request.user, agent=agent)
    messages.success(request, _("%(name)s is no longer a desk agent.") % {"name": agent.user.public_name})
    return redirect("desk:agents")
