from django.urls import path

from agora.backoffice.views import system

app_name = "system"

urlpatterns = [
    path("organizations/", system.organization_list, name="organizations"),
    path("organizations/new/", system.organization_create, name="organization_create"),
    path("organizations/<int:organization_id>/", system.organization_edit, name="organization_edit"),
]
