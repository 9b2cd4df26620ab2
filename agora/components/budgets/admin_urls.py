from django.urls import path

from agora.components.budgets import admin_views

urlpatterns = [
    *admin_views.BUDGETS.urls(),
    path("import-pb/", admin_views.pabulib_import, name="pabulib_import"),
    path("<int:budget_id>/projects/", admin_views.project_list, name="projects"),
    path("<int:budget_id>/projects/new/", admin_views.project_create, name="project_create"),
    path("<int:budget_id>/projects/from-ideas/", admin_views.projects_from_ideas, name="from_ideas"),
    path("<int:budget_id>/projects/<int:project_id>/", admin_views.project_edit, name="project_edit"),
    path("<int:budget_id>/projects/<int:project_id>/delete/", admin_views.project_delete, name="project_delete"),
    path("<int:budget_id>/paper/", admin_views.paper_ballot, name="paper"),
    path("<int:budget_id>/paper/import/", admin_views.paper_import, name="paper_import"),
    path("<int:budget_id>/results/", admin_views.results_preview, name="results"),
    path("<int:budget_id>/results/publish/", admin_views.results_publish, name="results_publish"),
    path("<int:budget_id>/results/withdraw/", admin_views.results_withdraw, name="results_withdraw"),
    path("<int:budget_id>/results/compare/", admin_views.results_compare, name="results_compare"),
    path("<int:budget_id>/decisions/", admin_views.decisions, name="decisions"),
    path("<int:budget_id>/export/<slug:export_format>/", admin_views.budget_export, name="export"),
]
