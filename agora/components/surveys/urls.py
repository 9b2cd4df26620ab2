from django.urls import path

from agora.components.surveys import views

urlpatterns = [
    path("", views.index, name="index"),
    path("answer/", views.respond, name="respond"),
    path("results/", views.results, name="results"),
]
