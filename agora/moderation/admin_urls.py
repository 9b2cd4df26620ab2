from django.urls import path

from agora.moderation import admin_views

app_name = "moderation_admin"

urlpatterns = [
    path("", admin_views.queue, name="queue"),
    path("spaces/<int:space_id>/", admin_views.space_queue, name="space_queue"),
    path("items/<int:moderation_id>/", admin_views.item, name="item"),
    path("items/<int:moderation_id>/hide/", admin_views.hide, name="hide"),
    path("items/<int:moderation_id>/unhide/", admin_views.unhide, name="unhide"),
    path("people/blocked/", admin_views.blocked, name="blocked"),
    path("people/<int:user_id>/block/", admin_views.block, name="block"),
    path("people/<int:user_id>/unblock/", admin_views.unblock, name="unblock"),
    path("settings/", admin_views.moderation_settings, name="settings"),
]
