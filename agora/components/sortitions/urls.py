from django.urls import path

from agora.components.sortitions import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:sortition_id>/", views.detail, name="detail"),
    path("<int:sortition_id>/volunteer/", views.volunteer, name="volunteer"),
    path("<int:sortition_id>/bundle.json", views.bundle, name="bundle"),
    path("ideas/<int:idea_draw_id>/", views.idea_draw, name="idea_draw"),
    path("ideas/<int:idea_draw_id>/bundle.json", views.idea_bundle, name="idea_bundle"),
]
