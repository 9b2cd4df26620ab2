app_name = "verifications_admin"

urlpatterns = []
