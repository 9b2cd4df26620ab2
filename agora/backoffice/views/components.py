from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from agora import permissions
from agora.backoffice import services
from agora.backoffice.forms import AddComponentForm, ComponentForm, component_settings_forms
from agora.components.models import Component
from agora.web.access import backoffice_view, refuse
from agora.web.views import call_service, done


def _component(request, component_id):
    component = get_object_or_404(
        Component.objects.select_related("space__organization"), pk=component_id, space=request.space
    )
    decision = permissions.can(request.user, "component.manage", component)
    return component, (None if decision else refuse(request, decision))


def _admin_url(component):
    try:
        return component.get_admin_url() if component.manifest and component.manifest.admin_urls else ""
    except NoReverseMatch:
        return ""


@backoffice_view("space.preview", target="space")
def component_list(request, space_id):
    space = request.space
    components = [(c, _admin_url(c)) for c in space.components.order_by("weight", "id")]
    return render(
        request,
        "backoffice/spaces/components.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "components",
            "components": components,
            "can_manage": permissions.can(request.user, "space.manage", space),
        },
    )


@backoffice_view("space.manage", target="space")
def component_add(request, space_id):
    space = request.space
    form = AddComponentForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        component, refused = call_service(
            request,
            services.add_component,
            form=form,
            space=space,
            manifest_name=form.cleaned_data["manifest_name"],
            name=form.name_value(),
        )
        if refused:
            return refused
        if component:
            return done(
                request,
                _("The component is added as a draft. Check its settings, then publish it."),
                "backoffice:component_configure",
                space.pk,
                component.pk,
            )
    return render(
        request,
        "backoffice/form_page.html",
        {
            "bo_section": "spaces",
            "space": space,
            "tab": "components",
            "form": form,
            "title": _("Add a component"),
            "submit": _("Add"),
            "cancel_url": reverse("backoffice:components", args=[space.pk]),
        },
    )


@backoffice_view("space.manage", target="space")
def component_configure(request, space_id, component_id):
    component, refusal = _component(request, component_id)
    if refusal:
        return refusal
    if component.manifest is None:
        return render(
            request,
            "backoffice/confirm.html",
            {
                "bo_section": "spaces",
                "space": request.space,
                "title": str(component),
                "question": _("This component type is not installed any more."),
                "cancel_url": reverse("backoffice:components", args=[space_id]),
            },
        )
    data = request.POST or None
    form = ComponentForm(data, instance=component, organization=request.organization)
    general, per_phase = component_settings_forms(component, data)
    forms_valid = data is not None and all(f.is_valid() for f in [form, general] + [f for _p, f in per_phase])
    if forms_valid:
        try:
            saved, refused = call_service(
                request,
                services.update_component,
                form=form,
                component=component,
                name=form.translated_value("name"),
                weight=form.cleaned_data["weight"],
                settings=general.raw_values(),
                phase_settings={str(phase.pk): f.raw_values() for phase, f in per_phase} if per_phase else None,
            )
        except ValidationError as error:  # pragma: no cover - call_service catches it
            form.add_error(None, error)
            saved, refused = None, None
        if refused:
            return refused
        if saved:
            return done(request, _("The component is saved."), "backoffice:components", space_id)
    error_forms = [f for f in [form, general] + [f for _p, f in per_phase] if f.errors]
    return render(
        request,
        "backoffice/spaces/component_form.html",
        {
            "bo_section": "spaces",
            "space": request.space,
            "tab": "components",
            "configured": component,
            "form": form,
            "general": general,
            "per_phase": per_phase,
            "error_forms": error_forms,
            "admin_url": _admin_url(component),
        },
    )


@backoffice_view("space.manage", target="space", post_only=True)
def component_publish(request, space_id, component_id):
    component, refusal = _component(request, component_id)
    if refusal:
        return refusal
    _result, refused = call_service(request, services.publish_component, component=component)
    return refused or done(request, _("The component is published."), "backoffice:components", space_id)


@backoffice_view("space.manage", target="space", post_only=True)
def component_unpublish(request, space_id, component_id):
    component, refusal = _component(request, component_id)
    if refusal:
        return refusal
    _result, refused = call_service(request, services.unpublish_component, component=component)
    return refused or done(request, _("The component is back to draft."), "backoffice:components", space_id)


@backoffice_view("space.manage", target="space")
def component_delete(request, space_id, component_id):
    component, refusal = _component(request, component_id)
    if refusal:
        return refusal
    if request.method == "POST":
        _result, refused = call_service(request, services.delete_component, component=component)
        return refused or done(request, _("The component is deleted."), "backoffice:components", space_id)
    return render(
        request,
        "backoffice/confirm.html",
        {
            "bo_section": "spaces",
            "space": request.space,
            "tab": "components",
            "title": _("Delete the component “%(component)s”?") % {"component": component},
            "question": _("Everything it contains is deleted for good."),
            "submit": _("Delete the component"),
            "cancel_url": reverse("backoffice:components", args=[space_id]),
        },
    )


@backoffice_view("space.manage", target="space")
def component_export(request, space_id, component_id, export_format):
    """Download what the component's manifest exports in this format."""
    component, refused = _component(request, component_id)
    if refused:
        return refused
    manifest = component.manifest
    dotted = manifest.exports.get(export_format) if manifest else None
    if not dotted:
        raise Http404
    return manifest.hook(dotted)(component)
