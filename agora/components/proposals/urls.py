from django.urls import path

from agora.components import feeds
from agora.components.proposals import views
from agora.components.proposals.feeds import IdeasFeed

urlpatterns = [
    *feeds.urls(IdeasFeed),
    path("", views.index, name="index"),
    path("map/", views.map_view, name="map"),
    path("new/", views.create, name="create"),
    path("<int:proposal_id>/", views.detail, name="detail"),
    path("<int:proposal_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path(
        "<int:proposal_id>/attachments/<int:attachment_id>/<int:width>/",
        views.attachment_variant,
        name="attachment_variant",
    ),
    path("<int:proposal_id>/edit/", views.edit, name="edit"),
    path("<int:proposal_id>/preview/", views.preview, name="preview"),
    path("<int:proposal_id>/publish/", views.publish, name="publish"),
    path("<int:proposal_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:proposal_id>/support/", views.support, name="support"),
    path("<int:proposal_id>/unsupport/", views.unsupport, name="unsupport"),
]
