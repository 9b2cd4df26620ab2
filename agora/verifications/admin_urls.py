from django.urls import path

from agora.verifications import admin_views

app_name = "verifications_admin"

urlpatterns = [
    path("", admin_views.overview, name="overview"),
    path("census/", admin_views.census, name="census"),
    path("census/uploads/<int:upload_id>/", admin_views.census_upload, name="census_upload"),
    path("letters/", admin_views.letters, name="letters"),
    path("letters/export/", admin_views.letters_export, name="letters_export"),
    path("documents/", admin_views.documents, name="documents"),
    path("documents/<int:verification_id>/", admin_views.document, name="document"),
    path("documents/<int:verification_id>/file/", admin_views.document_file, name="document_file"),
    path("verified/", admin_views.verification_list, name="verifications"),
    path("verified/<int:verification_id>/revoke/", admin_views.revoke, name="revoke"),
    path("conflicts/", admin_views.conflicts, name="conflicts"),
    path("conflicts/<int:verification_id>/transfer/", admin_views.conflict_transfer, name="conflict_transfer"),
    path("conflicts/<int:verification_id>/reject/", admin_views.conflict_reject, name="conflict_reject"),
    path(
        "spaces/<int:space_id>/components/<int:component_id>/eligibility/", admin_views.eligibility, name="eligibility"
    ),
]
