from django.urls import path

from agora.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("<int:export_id>/download/", views.download, name="download"),
]
