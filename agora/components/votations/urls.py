from django.urls import path

from agora.components.votations import views

urlpatterns = [
    path("", views.index, name="index"),
    path("receipt/", views.receipt_check, name="receipt"),
    path("<int:votation_id>/", views.detail, name="detail"),
    path("<int:votation_id>/vote/", views.vote, name="vote"),
    path("<int:votation_id>/my-receipt/", views.my_receipt, name="my_receipt"),
]
