from django.urls import path

from agora.components.sortitions import admin_views
from agora.questionnaires import builder

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
    # The registration form of volunteers (form_questions, form_question_new ...).
    *builder.builder_urlpatterns(
        "<int:sortition_id>/form/",
        admin_views.registration_form,
        namespace="sortitions_admin",
        permission="sortitions.manage",
    ),
    path("ideas/", admin_views.idea_draws, name="idea_draws"),
    path("ideas/<int:idea_draw_id>/", admin_views.idea_draw, name="idea_draw"),
    path("ideas/<int:idea_draw_id>/commit/", admin_views.idea_commit, name="idea_commit"),
    path(
        "ideas/<int:idea_draw_id>/parties/<int:party_id>/reveal/",
        admin_views.idea_reveal,
        name="idea_reveal",
    ),
]
