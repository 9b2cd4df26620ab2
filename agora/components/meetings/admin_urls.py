from django.urls import path

from agora.components.meetings import admin_views
from agora.components.meetings.admin_views import AGENDA, MEETINGS

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
    # The registration form, built with agora.questionnaires.builder.
    path("<int:meeting_id>/form/", admin_views.form_questions, name="form_questions"),
    path("<int:meeting_id>/form/new/", admin_views.form_question_new, name="form_question_new"),
    path("<int:meeting_id>/form/<int:question_id>/", admin_views.form_question_edit, name="form_question_edit"),
    path(
        "<int:meeting_id>/form/<int:question_id>/delete/",
        admin_views.form_question_delete,
        name="form_question_delete",
    ),
    path("<int:meeting_id>/form/<int:question_id>/move/", admin_views.form_question_move, name="form_question_move"),
    path(
        "<int:meeting_id>/form/<int:question_id>/duplicate/",
        admin_views.form_question_duplicate,
        name="form_question_duplicate",
    ),
    path(
        "<int:meeting_id>/form/<int:question_id>/conditions/",
        admin_views.form_question_conditions,
        name="form_question_conditions",
    ),
    path("<int:meeting_id>/form/copy/", admin_views.form_copy, name="form_copy"),
    path("<int:meeting_id>/form/keep-as-template/", admin_views.form_save_template, name="form_save_template"),
    path("<int:meeting_id>/form/templates/", admin_views.form_templates, name="form_templates"),
    path(
        "<int:meeting_id>/form/templates/<int:template_id>/delete/",
        admin_views.form_template_delete,
        name="form_template_delete",
    ),
]
