"""Shared start-up of the bench scripts: a throw-away database (SQLite file
in a temporary directory unless DATABASE_URL is given), migrated, Django ready."""

import os
import sys
import tempfile
from pathlib import Path

from _http_load import percentile  # noqa: F401  (the benches import it from here too)

ROOT = Path(__file__).resolve().parent.parent


def start(name: str):
    sys.path.insert(0, str(ROOT))
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix=f"agora-bench-{name}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    os.environ.setdefault("AGORA_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    # No collectstatic for a bench: plain static storage (WhiteNoise's manifest is not built).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    return os.environ["DATABASE_URL"]
