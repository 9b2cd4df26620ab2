from django.urls import path

from agora.follows import views

app_name = "follows"

urlpatterns = [
    path("toggle/", views.toggle, name="toggle"),
]
