from django.urls import path

from agora.comments import views

app_name = "comments"

urlpatterns = [
    path("on/<str:model_label>/<int:object_id>/", views.post, name="post"),
    path("on/<str:model_label>/<int:object_id>/thread/", views.thread, name="thread"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
    path("<int:comment_id>/vote/", views.vote, name="vote"),
    path("mentions/", views.mentions, name="mentions"),
]
