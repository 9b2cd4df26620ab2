from django.urls import path

from agora.components.initiatives import views

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:initiative_id>/", views.detail, name="detail"),
    path("<int:initiative_id>/edit/", views.edit, name="edit"),
    path("<int:initiative_id>/sign/", views.sign, name="sign"),
    path("<int:initiative_id>/sign/form/", views.sign_form, name="sign_form"),
    path("<int:initiative_id>/sheet.pdf", views.sheet, name="sheet"),
    path("<int:initiative_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:initiative_id>/invite/", views.invite, name="invite"),
    path("<int:initiative_id>/accept/", views.accept, name="accept"),
    path("<int:initiative_id>/submit/", views.submit, name="submit"),
]
