from django.urls import path

from agora.api import admin_views

app_name = "api_admin"

urlpatterns = [
    path("", admin_views.tokens, name="tokens"),
    path("<int:token_id>/revoke/", admin_views.revoke, name="revoke"),
]
