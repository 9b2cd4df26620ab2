from django.urls import path

from agora.components.news import admin_views

urlpatterns = [
    path("", admin_views.post_list, name="index"),
    path("new/", admin_views.post_create, name="create"),
    path("<int:post_id>/", admin_views.post_edit, name="edit"),
    path("<int:post_id>/delete/", admin_views.post_delete, name="delete"),
]
