from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.core.forms import model_values
from agora.spaces import services
from agora.spaces.forms import PhaseForm
from agora.spaces.models import Phase
from agora.web.access import backoffice_view
from agora.web.views import call_service, done


def _process(request):
    if not request.space.is_process:
        raise Http404
    return request.space


def _phase(request, phase_id):
    return get_object_or_404(Phase.objects.select_related("space__organization"), pk=phase_id, space=_process(request))


@backoffice_view("space.preview", target="space")
def phase_list(request, space_id):
    space = _process(request)
    return render(
        request,
        "backoffice/spaces/phases.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "phases",
            "phases": list(space.phases.order_by("position", "id")),
            "can_manage": permissions.can(request.user, "space.manage", space),
        },
    )


@backoffice_view("space.manage", target="space")
def phase_form(request, space_id, phase_id=None):
    space = _process(request)
    phase = _phase(request, phase_id) if phase_id else Phase(space=space)
    form = PhaseForm(request.POST or None, instance=phase, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        values = model_values(form)
        if phase_id:
            saved, refused = call_service(request, services.update_phase, form=form, phase=phase, values=values)
        else:
            saved, refused = call_service(request, services.create_phase, form=form, space=space, values=values)
        if refused:
            return refused
        if saved:
            return done(request, _("The phase is saved."), "backoffice:phases", space.pk)
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "phases",
            "form": form,
            "title": _("Edit the phase “%(phase)s”") % {"phase": phase} if phase_id else _("New phase"),
            "submit": _("Save"),
            "cancel_url": reverse("backoffice:phases", args=[space.pk]),
        },
    )


@backoffice_view("space.manage", target="space", post_only=True)
def phase_move(request, space_id, phase_id):
    phase = _phase(request, phase_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return redirect("backoffice:phases", space_id)
    _result, refused = call_service(request, services.move_phase, phase=phase, direction=direction)
    return refused or done(
        request, _("The phase “%(phase)s” is moved.") % {"phase": phase}, "backoffice:phases", space_id
    )


@backoffice_view("space.manage", target="space")
def phase_activate(request, space_id, phase_id):
    """Activate a phase by hand, after a page that says whether the daily switch
    by dates would undo it, and how to keep it: change the dates (shown) or
    keep the phase active by hand."""
    phase = _phase(request, phase_id)
    space = request.space
    plan = services.activation_plan(space.phases.order_by("position", "id"), phase)
    error, status = "", 200
    if request.method == "POST":
        keep = request.POST.get("keep")
        if keep == services.KEEP_DATES and plan.changes is None:
            keep = None
        if plan.dates_agree or keep in (services.KEEP_DATES, services.KEEP_PIN):
            result, refused = call_service(request, services.activate_phase, phase=phase, keep=keep)
            if refused:
                return refused
            if result:
                text = _("“%(phase)s” is now the active phase.") % {"phase": phase}
                if keep == services.KEEP_PIN and not plan.dates_agree:
                    text += " " + _("It stays active until you activate another phase or let the dates decide.")
                return done(request, text, "backoffice:phases", space_id)
        else:
            error, status = _("Choose how to keep this phase active."), 400
    return render(
        request,
        "backoffice/spaces/phase_activate.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "phases",
            "phase": phase,
            "plan": plan,
            "error": error,
            "keep_dates": services.KEEP_DATES,
            "keep_pin": services.KEEP_PIN,
        },
        status=status,
    )


@backoffice_view("space.manage", target="space", post_only=True)
def phase_release(request, space_id, phase_id):
    """Let the dates decide again (the phase was kept active by hand)."""
    phase = _phase(request, phase_id)
    _result, refused = call_service(request, services.release_phase, phase=phase)
    return refused or done(
        request,
        _("The dates decide the active phase again, from the next daily switch."),
        "backoffice:phases",
        space_id,
    )


@backoffice_view("space.manage", target="space")
def phase_delete(request, space_id, phase_id):
    phase = _phase(request, phase_id)
    if request.method == "POST":
        _result, refused = call_service(request, services.delete_phase, phase=phase)
        return refused or done(request, _("The phase is deleted."), "backoffice:phases", space_id)
    return render(
        request,
        "backoffice/confirm.html",
        {
            "bo_section": "spaces",
            "space": request.space,
            "tab": "phases",
            "title": _("Delete the phase “%(phase)s”?") % {"phase": phase},
            "question": _("Settings of components for this phase are lost."),
            "submit": _("Delete the phase"),
            "cancel_url": reverse("backoffice:phases", args=[space_id]),
        },
    )
