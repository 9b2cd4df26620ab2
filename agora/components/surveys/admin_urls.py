from django.urls import path

from agora.components.surveys import admin_views
from agora.questionnaires import builder

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("settings/", admin_views.edit, name="edit"),
    *builder.builder_urlpatterns(
        "questions/",
        admin_views.survey_questionnaire,
        namespace="surveys_admin",
        permission="surveys.manage",
        name_prefix="",
        candidates=admin_views.copy_candidates,
    ),
    path("results/", admin_views.results, name="results"),
    path("results/texts/", admin_views.texts, name="texts"),
    path("results/publish/", admin_views.publish, name="publish"),
    path("answers/<str:export_format>/", admin_views.export, name="export"),
    path("exports/", admin_views.export_list, name="exports"),
    path("exports/<int:export_id>/download/", admin_views.export_download, name="export_download"),
    path("paper/", admin_views.paper, name="paper"),
]
