from django.urls import path

from agora.components.debates import admin_views
from agora.components.debates.admin_views import DEBATES

urlpatterns = [
    *DEBATES.urls(),
    path("<int:debate_id>/debate/", admin_views.debate, name="debate"),
    path("<int:debate_id>/information/", admin_views.add_information, name="information"),
    path(
        "<int:debate_id>/information/<int:update_id>/delete/", admin_views.delete_information, name="information_delete"
    ),
    path("<int:debate_id>/close/", admin_views.close, name="close"),
]
