from django.urls import path

from agora.components.votations import admin_views as views

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.votation_form, name="create"),
    path("from-initiative/<int:initiative_id>/", views.from_initiative, name="from_initiative"),
    path("<int:votation_id>/", views.votation, name="votation"),
    path("<int:votation_id>/edit/", views.votation_form, name="edit"),
    path("<int:votation_id>/delete/", views.delete, name="delete"),
    path("<int:votation_id>/open/", views.open_votation, name="open"),
    path("<int:votation_id>/close/", views.close_votation, name="close"),
    path("<int:votation_id>/questions/new/", views.question_form, name="question_create"),
    path("<int:votation_id>/questions/<int:question_id>/", views.question_form, name="question_edit"),
    path("<int:votation_id>/questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("<int:votation_id>/questions/<int:question_id>/options/new/", views.option_form, name="option_create"),
    path(
        "<int:votation_id>/questions/<int:question_id>/options/<int:option_id>/delete/",
        views.option_delete,
        name="option_delete",
    ),
    path("<int:votation_id>/questions/<int:question_id>/documents/new/", views.document_form, name="document_create"),
    path(
        "<int:votation_id>/questions/<int:question_id>/documents/<int:document_id>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path("<int:votation_id>/paper/ballot/", views.paper_ballot, name="paper_ballot"),
    path("<int:votation_id>/paper/station/", views.station_count, name="station_count"),
    path("<int:votation_id>/ballots.csv", views.ballots_csv, name="ballots_csv"),
]
