"""The project's URLs plus a view that fails (test_error_pages)."""

import logging

from django.urls import path

from agora.urls import handler500  # noqa: F401 - handler500 is read here
from agora.urls import urlpatterns as project_patterns


def failing_view(request):
    logging.getLogger("agora.tests").warning("about to fail")
    raise RuntimeError("secret detail: table budgets_ballot, line 42")


urlpatterns = [path("failing/", failing_view), *project_patterns]
