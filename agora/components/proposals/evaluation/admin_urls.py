"""Back-office of a proposals component owned by the evaluation app: the ideas'
list, answers, states, custom fields, evaluation grids and evaluators' work.
Included by agora/components/proposals/admin_urls.py under the namespace
"proposals_admin" (no app_name here: names live directly in that namespace)."""

from django.urls import path

from agora.components.proposals.evaluation import admin_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("bulk/", views.bulk, name="bulk"),
    path("ideas/<int:proposal_id>/", views.detail, name="detail"),
    path("ideas/<int:proposal_id>/answer/", views.answer, name="answer"),
    path("ideas/<int:proposal_id>/evaluate/", views.evaluate, name="evaluate"),
    *views.STATES.urls(),
    *views.FIELDS.urls(),
    *views.CRITERIA.urls(),
    path("import/", views.import_answers, name="import"),
    path("import/<int:answerimport_id>/", views.import_preview, name="import_preview"),
    path("export/staff.csv", views.export_csv, name="export_csv"),
    path("export/staff.json", views.export_json, name="export_json"),
    path("export/staff.xlsx", views.export_xlsx, name="export_xlsx"),
]
