from django.urls import path

from agora.components.news import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:post_id>/", views.detail, name="detail"),
]
