import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
application = get_wsgi_application()

# Import every view module now (Django does it at the first request): with
# `gunicorn --preload` the workers are forked with them loaded, so the first
# requests of a worker are not slower than the others.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns
