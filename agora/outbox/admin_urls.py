from django.urls import path

from agora.outbox import admin_views

app_name = "outbox_admin"

urlpatterns = [
    path("", admin_views.email_list, name="list"),
    path("<int:email_id>/retry/", admin_views.retry, name="retry"),
    path("release/", admin_views.release, name="release"),
]
