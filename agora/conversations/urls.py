from django.urls import path

from agora.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.start, name="start"),
    path("settings/", views.preferences, name="settings"),
    path("<int:conversation_id>/", views.detail, name="detail"),
    path("<int:conversation_id>/leave/", views.leave, name="leave"),
    path("people/<str:nickname>/block/", views.block, name="block"),
    path("people/<str:nickname>/unblock/", views.unblock, name="unblock"),
]
