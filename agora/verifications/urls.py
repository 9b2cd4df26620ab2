from django.urls import path

from agora.verifications import views

app_name = "verifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("census/", views.census, name="census"),
    path("letter/", views.letter, name="letter"),
    path("sms/", views.sms, name="sms"),
    path("document/", views.document, name="document"),
    path("oidc/", views.oidc, name="oidc"),
    path("oidc/complete/", views.oidc_complete, name="oidc_complete"),
]
