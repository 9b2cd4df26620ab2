from django.urls import path

from agora.newsletters import views

app_name = "newsletters"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:newsletter_id>/", views.detail, name="detail"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
