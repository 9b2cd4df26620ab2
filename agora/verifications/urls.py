app_name = "verifications"

urlpatterns = []
