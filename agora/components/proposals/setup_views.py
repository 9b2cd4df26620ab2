"""Back-office setup of a proposals component owned by the proposals app:
categories and scopes offered in the idea form, KML layers of the map."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora.actionlog.services import trace
from agora.components.access import component_admin_view
from agora.components.proposals.kml import kml_to_geojson
from agora.components.proposals.models import MapLayer, OfferedTaxonomy
from agora.components.proposals.setup_forms import MapLayerForm, OfferedTaxonomyForm
from agora.permissions import require
from agora.taxonomy.models import Category, Scope


def _context(request, **extra):
    return {"space": request.space, "component": request.component, "bo_section": "spaces", **extra}


def _space_items(space, kind):
    items = list(getattr(space, kind).all())
    if items:
        return items
    model = Category if kind == "categories" else Scope
    return list(model.objects.filter(organization_id=space.organization_id))


@transaction.atomic
def set_offered_taxonomy(*, actor, component, category_ids, scope_ids) -> OfferedTaxonomy:
    require(actor, "component.manage", component)
    offered, _created = OfferedTaxonomy.objects.get_or_create(component=component)
    allowed_categories = {c.pk for c in _space_items(component.space, "categories")}
    allowed_scopes = {s.pk for s in _space_items(component.space, "scopes")}
    offered.categories.set([pk for pk in category_ids if pk in allowed_categories])
    offered.scopes.set([pk for pk in scope_ids if pk in allowed_scopes])
    trace(actor, "proposals.taxonomy_offered", component, component=component)
    return offered


@transaction.atomic
def add_map_layer(*, actor, component, name: dict, data: bytes) -> MapLayer:
    require(actor, "component.manage", component)
    layer = MapLayer.objects.create(component=component, name=name, geojson=kml_to_geojson(data))
    trace(actor, "proposals.map_layer_added", layer, component=component)
    return layer


@transaction.atomic
def delete_map_layer(*, actor, layer) -> None:
    require(actor, "component.manage", layer.component)
    trace(actor, "proposals.map_layer_deleted", layer, component=layer.component)
    layer.delete()


@component_admin_view
def taxonomy(request):
    component = request.component
    categories = _space_items(component.space, "categories")
    scopes = _space_items(component.space, "scopes")
    offered = OfferedTaxonomy.objects.filter(component=component).first()
    initial = {
        "categories": [c.pk for c in offered.categories.all()] if offered else [],
        "scopes": [s.pk for s in offered.scopes.all()] if offered else [],
    }
    form = OfferedTaxonomyForm(request.POST or None, initial=initial, categories=categories, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        set_offered_taxonomy(
            actor=request.user,
            component=component,
            category_ids=form.cleaned_data["categories"],
            scope_ids=form.cleaned_data["scopes"],
        )
        messages.success(request, _("The categories and scopes offered are saved."))
        return redirect("proposals_admin:setup_taxonomy", space_id=request.space.pk, component_id=component.pk)
    return render(request, "proposals/setup/taxonomy.html", _context(request, form=form))


@component_admin_view
def layers(request):
    component = request.component
    form = MapLayerForm(request.POST or None, request.FILES or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            add_map_layer(
                actor=request.user, component=component, name=form.translated_value("name"), data=upload.read()
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The map layer is added."))
            return redirect("proposals_admin:setup_layers", space_id=request.space.pk, component_id=component.pk)
    return render(
        request,
        "proposals/setup/layers.html",
        _context(request, form=form, layers=MapLayer.objects.filter(component=component)),
        status=400 if form.errors else 200,
    )


@component_admin_view
@require_POST
def layer_delete(request, maplayer_id):
    layer = MapLayer.objects.filter(component=request.component, pk=maplayer_id).first()
    if layer is None:
        raise Http404
    delete_map_layer(actor=request.user, layer=layer)
    messages.success(request, _("The map layer is deleted."))
    return redirect("proposals_admin:setup_layers", space_id=request.space.pk, component_id=request.component.pk)


layer_delete.post_only = True
