from django.urls import path

from agora.components.sortitions import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:sortition_id>/", views.detail, name="detail"),
    path("<int:sortition_id>/bundle.json", views.bundle, name="bundle"),
]
