from django.urls import path

from agora.components.meetings import admin_views
from agora.components.meetings.admin_views import AGENDA, MANAGE, MEETINGS
from agora.questionnaires import builder

urlpatterns = [
    *MEETINGS.urls(),
    *AGENDA.urls(),
    path("<int:meeting_id>/meeting/", admin_views.meeting, name="meeting"),
    path("<int:meeting_id>/publish/", admin_views.publish, name="publish"),
    path("<int:meeting_id>/cancel/", admin_views.cancel, name="cancel"),
    path("<int:meeting_id>/close/", admin_views.close, name="close"),
    path("<int:meeting_id>/registrations/", admin_views.registrations, name="registrations"),
    path("<int:meeting_id>/registrations.csv", admin_views.registrations_csv, name="registrations_csv"),
    path(
        "<int:meeting_id>/registrations/<int:registration_id>/cancel/",
        admin_views.cancel_registration,
        name="registration_cancel",
    ),
    path("<int:meeting_id>/attendance/", admin_views.attendance, name="attendance"),
    path("<int:meeting_id>/attendance-sheet.pdf", admin_views.attendance_sheet, name="attendance_sheet"),
    path("<int:meeting_id>/invitations/", admin_views.invite, name="invite"),
    path("<int:meeting_id>/ideas/", admin_views.ideas, name="ideas"),
    path("<int:meeting_id>/photos/", admin_views.photos, name="photos"),
    path("<int:meeting_id>/photos/<int:photo_id>/delete/", admin_views.photo_delete, name="photo_delete"),
    # The registration form (form_questions, form_question_new ...).
    *builder.builder_urlpatterns(
        "<int:meeting_id>/form/", admin_views.registration_form, namespace="meetings_admin", permission=MANAGE
    ),
]
