from django.urls import path

from agora.components.surveys import admin_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("settings/", admin_views.edit, name="edit"),
    path("questions/", admin_views.questions, name="questions"),
    path("questions/new/", admin_views.question_new, name="question_new"),
    path("questions/<int:question_id>/", admin_views.question_edit, name="question_edit"),
    path("questions/<int:question_id>/delete/", admin_views.question_delete, name="question_delete"),
    path("questions/<int:question_id>/move/", admin_views.question_move, name="question_move"),
    path("questions/<int:question_id>/duplicate/", admin_views.question_duplicate, name="question_duplicate"),
    path("questions/<int:question_id>/conditions/", admin_views.question_conditions, name="question_conditions"),
    path("questions/copy/", admin_views.copy, name="copy"),
    path("questions/keep-as-template/", admin_views.save_template, name="save_template"),
    path("questions/templates/", admin_views.templates, name="templates"),
    path("questions/templates/<int:template_id>/delete/", admin_views.template_delete, name="template_delete"),
    path("results/", admin_views.results, name="results"),
    path("results/texts/", admin_views.texts, name="texts"),
    path("results/publish/", admin_views.publish, name="publish"),
    path("answers/<str:export_format>/", admin_views.export, name="export"),
    path("exports/", admin_views.export_list, name="exports"),
    path("exports/<int:export_id>/download/", admin_views.export_download, name="export_download"),
    path("paper/", admin_views.paper, name="paper"),
]
