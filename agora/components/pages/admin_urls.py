from django.urls import path

from agora.components.pages import admin_views

urlpatterns = [
    path("", admin_views.page_list, name="index"),
    path("new/", admin_views.page_create, name="create"),
    path("<int:page_id>/", admin_views.page_edit, name="edit"),
    path("<int:page_id>/delete/", admin_views.page_delete, name="delete"),
    path("<int:page_id>/move/", admin_views.page_move, name="move"),
]
