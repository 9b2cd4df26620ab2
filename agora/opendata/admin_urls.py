from django.urls import path

from agora.opendata import admin_views

app_name = "opendata_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("build/", admin_views.build, name="build"),
]
