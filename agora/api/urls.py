"""/api/v1/: the endpoints, the OpenAPI description and the documentation page."""

from django.urls import path, re_path

from agora.api import views
from agora.api.instance import api

urlpatterns = [
    path("v1/docs", views.docs, name="api_docs"),
    path("v1/", api.urls),
    # Anything else under /api/ is a JSON 404, not the site's HTML page.
    re_path(r"^.*$", views.not_found),
]
