from django.urls import path

from agora.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("spaces/<int:space_id>/", views.space_detail, name="space"),
]
