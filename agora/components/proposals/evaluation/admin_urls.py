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
    path("states/", views.states, name="states"),
    path("states/new/", views.state_create, name="state_create"),
    path("states/<int:proposalstate_id>/", views.state_edit, name="state_edit"),
    path("states/<int:proposalstate_id>/delete/", views.state_delete, name="state_delete"),
    path("states/<int:proposalstate_id>/move/", views.state_move, name="state_move"),
    path("fields/", views.fields, name="fields"),
    path("fields/new/", views.field_create, name="field_create"),
    path("fields/<int:customfield_id>/", views.field_edit, name="field_edit"),
    path("fields/<int:customfield_id>/delete/", views.field_delete, name="field_delete"),
    path("fields/<int:customfield_id>/move/", views.field_move, name="field_move"),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/new/", views.criterion_create, name="criterion_create"),
    path("criteria/<int:criterion_id>/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:criterion_id>/delete/", views.criterion_delete, name="criterion_delete"),
    path("criteria/<int:criterion_id>/move/", views.criterion_move, name="criterion_move"),
    path("import/", views.import_answers, name="import"),
    path("import/<int:answerimport_id>/", views.import_preview, name="import_preview"),
    path("export/staff.csv", views.export_csv, name="export_csv"),
    path("export/staff.json", views.export_json, name="export_json"),
    path("export/staff.xlsx", views.export_xlsx, name="export_xlsx"),
]
