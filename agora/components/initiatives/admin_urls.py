from django.urls import path

from agora.components.initiatives import admin_views as views

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
    # Extra signer fields of a type, built with agora.questionnaires.builder.
    path("types/<int:type_id>/form/", views.form_questions, name="form_questions"),
    path("types/<int:type_id>/form/new/", views.form_question_new, name="form_question_new"),
    path("types/<int:type_id>/form/<int:question_id>/", views.form_question_edit, name="form_question_edit"),
    path("types/<int:type_id>/form/<int:question_id>/delete/", views.form_question_delete, name="form_question_delete"),
    path("types/<int:type_id>/form/<int:question_id>/move/", views.form_question_move, name="form_question_move"),
    path(
        "types/<int:type_id>/form/<int:question_id>/duplicate/",
        views.form_question_duplicate,
        name="form_question_duplicate",
    ),
    path(
        "types/<int:type_id>/form/<int:question_id>/conditions/",
        views.form_question_conditions,
        name="form_question_conditions",
    ),
    path("types/<int:type_id>/form/copy/", views.form_copy, name="form_copy"),
    path("types/<int:type_id>/form/keep-as-template/", views.form_save_template, name="form_save_template"),
    path("types/<int:type_id>/form/templates/", views.form_templates, name="form_templates"),
    path(
        "types/<int:type_id>/form/templates/<int:template_id>/delete/",
        views.form_template_delete,
        name="form_template_delete",
    ),
]
