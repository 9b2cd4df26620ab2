from django.urls import path

from agora.components.accountability import admin_views

urlpatterns = [
    path("", admin_views.result_list, name="index"),
    path("new/", admin_views.result_create, name="create"),
    path("bulk-status/", admin_views.bulk_status, name="bulk_status"),
    path("import/", admin_views.import_results, name="import"),
    path("csv/", admin_views.csv_import, name="csv_import"),
    path("csv/export/", admin_views.csv_export, name="csv_export"),
    path("<int:result_id>/", admin_views.result_edit, name="edit"),
    path("<int:result_id>/delete/", admin_views.result_delete, name="delete"),
    path("<int:result_id>/milestones/new/", admin_views.milestone_create, name="milestone_create"),
    path("milestones/<int:milestone_id>/", admin_views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:milestone_id>/delete/", admin_views.milestone_delete, name="milestone_delete"),
    path("milestones/<int:milestone_id>/photos/new/", admin_views.photo_create, name="photo_create"),
    path("photos/<int:milestonephoto_id>/", admin_views.photo_edit, name="photo_edit"),
    path("photos/<int:milestonephoto_id>/delete/", admin_views.photo_delete, name="photo_delete"),
    path("statuses/defaults/", admin_views.status_defaults, name="status_defaults"),
    *admin_views.STATUSES.urls(),
]
