from django.urls import path

from agora.components.debates import views

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:debate_id>/", views.detail, name="detail"),
    path("<int:debate_id>/edit/", views.edit, name="edit"),
    path("<int:debate_id>/like/", views.like, name="like"),
    path("<int:debate_id>/close/", views.close, name="close"),
]
