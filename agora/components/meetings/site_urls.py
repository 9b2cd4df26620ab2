"""The organization's pages outside any space (mounted at the site's root by
agora.components.urls from the manifest's `site_urls`)."""

from django.urls import path

from agora.components.meetings import site_views

urlpatterns = [
    path("agenda/", site_views.agenda, name="agenda"),
    path("agenda.ics", site_views.agenda_ics, name="agenda_ics"),
    path("meetings/qr/<str:token>.png", site_views.qr, name="qr"),
    path("meetings/invitation/<str:token>/", site_views.invitation, name="invitation"),
]
