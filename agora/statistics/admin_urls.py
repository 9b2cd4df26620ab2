from django.urls import path

from agora.statistics import views

app_name = "statistics_admin"

urlpatterns = [
    path("", views.organization_dashboard, name="organization"),
    path("export/", views.organization_export, name="organization_export"),
    path("reference/", views.reference, name="reference"),
    path("settings/", views.settings, name="settings"),
    path("spaces/<int:space_id>/", views.space_dashboard, name="space"),
    path("spaces/<int:space_id>/export/", views.space_export, name="space_export"),
    path("spaces/<int:space_id>/representativeness/", views.representativeness, name="representativeness"),
    path(
        "spaces/<int:space_id>/representativeness/export/",
        views.representativeness_export,
        name="representativeness_export",
    ),
    path("spaces/<int:space_id>/components/<int:component_id>/", views.component_dashboard, name="component"),
    path(
        "spaces/<int:space_id>/components/<int:component_id>/export/",
        views.component_export,
        name="component_export",
    ),
]
