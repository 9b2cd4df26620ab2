"""Back-office of a proposals component. The evaluation app owns the ideas'
list, answers, states, custom fields and evaluation grids; the proposals app
owns the map layers, the categories and scopes offered, and the ideas staff
enter for residents (paper forms, desks, meetings)."""

from django.urls import include, path

urlpatterns = [
    path("", include("agora.components.proposals.evaluation.admin_urls")),
    path("setup/", include("agora.components.proposals.setup_urls")),
    path("paper/", include("agora.components.proposals.paper_urls")),
]
