from django.urls import path

from agora.components.accountability import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:result_id>/", views.detail, name="detail"),
]
