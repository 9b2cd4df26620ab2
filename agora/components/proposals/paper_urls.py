"""Back-office screens of a proposals component for the ideas residents gave
on paper, at a desk or at a meeting. Names are prefixed with "paper_" inside
the "proposals_admin" namespace."""

from django.urls import path

from agora.components.proposals import paper_views

urlpatterns = [
    path("", paper_views.enter, name="paper_enter"),
    path("import/", paper_views.import_file, name="paper_import"),
    path("import/<int:ideaimport_id>/", paper_views.import_preview, name="paper_import_preview"),
    path("import/template.csv", paper_views.template_csv, name="paper_template"),
]
