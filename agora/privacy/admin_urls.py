from django.urls import path

from agora.privacy import admin_views

app_name = "privacy_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
]
