from django.urls import path

from agora.components.sortitions import admin_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:sortition_id>/", admin_views.sortition, name="sortition"),
    path("<int:sortition_id>/pool/", admin_views.import_pool, name="pool"),
    path("<int:sortition_id>/registration/", admin_views.registration, name="registration"),
    path("<int:sortition_id>/quotas/", admin_views.set_quotas, name="quotas"),
    path("<int:sortition_id>/select/", admin_views.start_selection, name="select"),
    path("<int:sortition_id>/replace/", admin_views.start_replacement, name="replace"),
    path("<int:sortition_id>/seat/", admin_views.seat, name="seat"),
    path("draws/<int:draw_id>/", admin_views.draw, name="draw"),
    path("draws/<int:draw_id>/commit/", admin_views.commit, name="commit"),
    path("draws/<int:draw_id>/parties/<int:party_id>/reveal/", admin_views.reveal, name="reveal"),
    path("draws/<int:draw_id>/draw/", admin_views.perform, name="perform"),
    path("draws/<int:draw_id>/decline/", admin_views.decline, name="decline"),
    # The registration form of volunteers, built with agora.questionnaires.builder.
    path("<int:sortition_id>/form/", admin_views.form_questions, name="form_questions"),
    path("<int:sortition_id>/form/new/", admin_views.form_question_new, name="form_question_new"),
    path("<int:sortition_id>/form/<int:question_id>/", admin_views.form_question_edit, name="form_question_edit"),
    path(
        "<int:sortition_id>/form/<int:question_id>/delete/",
        admin_views.form_question_delete,
        name="form_question_delete",
    ),
    path("<int:sortition_id>/form/<int:question_id>/move/", admin_views.form_question_move, name="form_question_move"),
    path(
        "<int:sortition_id>/form/<int:question_id>/duplicate/",
        admin_views.form_question_duplicate,
        name="form_question_duplicate",
    ),
    path(
        "<int:sortition_id>/form/<int:question_id>/conditions/",
        admin_views.form_question_conditions,
        name="form_question_conditions",
    ),
    path("<int:sortition_id>/form/copy/", admin_views.form_copy, name="form_copy"),
    path("<int:sortition_id>/form/keep-as-template/", admin_views.form_save_template, name="form_save_template"),
    path("<int:sortition_id>/form/templates/", admin_views.form_templates, name="form_templates"),
    path(
        "<int:sortition_id>/form/templates/<int:template_id>/delete/",
        admin_views.form_template_delete,
        name="form_template_delete",
    ),
    path("ideas/", admin_views.idea_draws, name="idea_draws"),
    path("ideas/<int:idea_draw_id>/", admin_views.idea_draw, name="idea_draw"),
]
