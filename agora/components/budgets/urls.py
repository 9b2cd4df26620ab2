from django.urls import path

from agora.components.budgets import views

urlpatterns = [
    path("", views.index, name="index"),
    path("receipt/", views.receipt_check, name="receipt"),
    path("<int:budget_id>/", views.budget_detail, name="budget"),
    path("<int:budget_id>/my-receipt/", views.my_receipt, name="my_receipt"),
    path("<int:budget_id>/projects/<int:project_id>/", views.project_detail, name="project"),
    path("<int:budget_id>/results/", views.results, name="results"),
    path("<int:budget_id>/results/ballots.pb", views.results_ballots, {"export_format": "pb"}, name="ballots_pb"),
    path("<int:budget_id>/results/ballots.csv", views.results_ballots, {"export_format": "csv"}, name="ballots_csv"),
]
