from django.urls import path

from agora.accounts import views

app_name = "accounts"
urlpatterns = [
    path("terms/", views.terms, name="terms"),
    path("profiles/<str:nickname>/", views.profile, name="profile"),
    path("account/settings/", views.account_settings, name="settings"),
    path("account/delete/", views.delete_account, name="delete"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
