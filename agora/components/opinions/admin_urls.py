from django.urls import path

from agora.components.opinions import admin_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("statements/", admin_views.add_statement, name="add_statement"),
    path("statements/<int:statement_id>/moderate/", admin_views.moderate, name="moderate"),
    path("import/", admin_views.import_polis, name="import"),
    path("recompute/", admin_views.recompute, name="recompute"),
    path("export/<str:table>.csv", admin_views.export, name="export"),
]
