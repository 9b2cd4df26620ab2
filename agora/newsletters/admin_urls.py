from django.urls import path

from agora.newsletters import admin_views

app_name = "newsletters_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("new/", admin_views.create, name="create"),
    path("<int:newsletter_id>/", admin_views.detail, name="detail"),
    path("<int:newsletter_id>/edit/", admin_views.edit, name="edit"),
    path("<int:newsletter_id>/delete/", admin_views.delete, name="delete"),
    path("<int:newsletter_id>/audience/", admin_views.audience, name="audience"),
    path("<int:newsletter_id>/preview/<str:language>/", admin_views.preview, name="preview"),
    path("<int:newsletter_id>/test/", admin_views.test, name="test"),
    path("<int:newsletter_id>/send/", admin_views.send, name="send"),
    path("<int:newsletter_id>/unschedule/", admin_views.unschedule, name="unschedule"),
    path("<int:newsletter_id>/resend/", admin_views.resend, name="resend"),
    *admin_views.BLOCKS.urls(),
]
