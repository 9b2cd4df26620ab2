from django.urls import path

from agora.components import feeds
from agora.components.news import views
from agora.components.news.feeds import NewsFeed

urlpatterns = [
    *feeds.urls(NewsFeed),
    path("", views.index, name="index"),
    path("<int:post_id>/", views.detail, name="detail"),
]
