"""Back-office setup screens of a proposals component owned by the proposals
app: categories and scopes offered, map layers (KML). Names are prefixed
with "setup_" inside the "proposals_admin" namespace."""

from django.urls import path

from agora.components.proposals import setup_views

urlpatterns = [
    path("taxonomy/", setup_views.taxonomy, name="setup_taxonomy"),
    path("layers/", setup_views.layers, name="setup_layers"),
    path("layers/<int:maplayer_id>/delete/", setup_views.layer_delete, name="setup_layer_delete"),
]
