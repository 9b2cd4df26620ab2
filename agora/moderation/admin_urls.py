app_name = "moderation_admin"

urlpatterns = []
