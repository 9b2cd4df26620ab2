from agora.components.pages.admin_views import PAGES

urlpatterns = PAGES.urls()
