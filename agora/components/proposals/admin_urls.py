"""Back-office of a proposals component. The evaluation app owns the ideas'
list, answers, states, custom fields and evaluation grids; the proposals app
owns the map layers and the categories and scopes offered."""

from django.urls import include, path

urlpatterns = [
    path("", include("agora.components.proposals.evaluation.admin_urls")),
    path("setup/", include("agora.components.proposals.setup_urls")),
]
