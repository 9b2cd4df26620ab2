from django.urls import path

from agora.components import feeds
from agora.components.meetings import views
from agora.components.meetings.feeds import MeetingsFeed

urlpatterns = [
    *feeds.urls(MeetingsFeed),
    path("", views.index, name="index"),
    path("calendar.ics", views.component_ics, name="calendar"),
    path("new/", views.create, name="create"),
    path("<int:meeting_id>/edit/", views.edit, name="edit"),
    path("<int:meeting_id>/", views.detail, name="detail"),
    path("<int:meeting_id>/register/", views.register, name="register"),
    path("<int:meeting_id>/cancel-registration/", views.cancel_registration, name="cancel_registration"),
    path("<int:meeting_id>/registration/", views.registration, name="registration"),
    path("<int:meeting_id>/calendar.ics", views.meeting_ics, name="meeting_calendar"),
]
