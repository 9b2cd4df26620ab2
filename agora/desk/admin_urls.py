from django.urls import path

from agora.desk import admin_views

app_name = "desk"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("new/", admin_views.create, name="create"),
    path("check/", admin_views.check, name="check"),
    path("stop/", admin_views.stop, name="stop"),
    path("agents/", admin_views.agents, name="agents"),
    path("agents/<int:agent_id>/revoke/", admin_views.agent_revoke, name="agent_revoke"),
    path("people/<int:person_id>/", admin_views.person, name="person"),
    path("people/<int:person_id>/act/", admin_views.act, name="act"),
    path("people/<int:person_id>/claim/", admin_views.claim, name="claim"),
]
