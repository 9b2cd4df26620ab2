from django.urls import path

from agora.components.initiatives import admin_views as views
from agora.questionnaires import builder

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:initiative_id>/", views.initiative, name="initiative"),
    path("<int:initiative_id>/admit/", views.admit, name="admit"),
    path("<int:initiative_id>/refuse/", views.refuse, name="refuse"),
    path("<int:initiative_id>/tiers/<int:row_id>/answer/", views.answer, name="answer"),
    path("<int:initiative_id>/tiers/<int:row_id>/seed/", views.publish_seed, name="seed"),
    path("<int:initiative_id>/tiers/<int:row_id>/draw/", views.draw, name="draw"),
    path("<int:initiative_id>/tiers/<int:row_id>/outcome/", views.outcome, name="outcome"),
    path("<int:initiative_id>/signatures/<int:signature_id>/strike/", views.strike, name="strike"),
    path("<int:initiative_id>/signatures.csv", views.signatures_csv, name="signatures_csv"),
    path("<int:initiative_id>/paper/line/", views.paper_line, name="paper_line"),
    path("<int:initiative_id>/paper/sheet/", views.sheet_count, name="sheet_count"),
    path("types/new/", views.type_form, name="type_create"),
    path("types/<int:type_id>/", views.type_form, name="type_edit"),
    path("types/<int:type_id>/tiers/new/", views.tier_form, name="tier_create"),
    path("types/<int:type_id>/tiers/<int:tier_id>/", views.tier_form, name="tier_edit"),
    path("types/<int:type_id>/tiers/<int:tier_id>/delete/", views.tier_delete, name="tier_delete"),
    path("types/<int:type_id>/tiers/<int:tier_id>/scope/", views.scope_threshold, name="scope_threshold"),
    # Extra signer fields of a type (form_questions, form_question_new ...).
    *builder.builder_urlpatterns(
        "types/<int:type_id>/form/", views.signer_form, namespace="initiatives_admin", permission=views.MANAGE
    ),
]
