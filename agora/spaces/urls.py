from django.urls import path

from agora.spaces import views

app_name = "spaces"
urlpatterns = [
    path("processes/", views.process_list, name="processes"),
    path("processes/groups/<int:group_id>/", views.process_group_detail, name="process_group"),
    path("processes/<slug:slug>/", views.process_detail, name="process"),
    path("assemblies/", views.assembly_list, name="assemblies"),
    path("assemblies/<slug:slug>/", views.assembly_detail, name="assembly"),
]
