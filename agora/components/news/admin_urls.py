from agora.components.news.admin_views import POSTS

urlpatterns = POSTS.urls()
