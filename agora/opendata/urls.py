from django.urls import path

from agora.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("open-data.zip", views.download, name="download"),
    path("components/<int:component_id>.zip", views.download, name="component_download"),
]
