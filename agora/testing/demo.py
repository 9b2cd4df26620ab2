"""The demo city, loaded once per test module (registered by the root conftest).

Loading the demo takes from half a minute (SQLite) to more than a minute
(PostgreSQL on a busy machine); a module of twenty tests that each loaded it
spent most of the suite's time there. `demo` gives each test the organization
of a demo loaded once for the module, inside a transaction that stays open
while the module runs and is rolled back after its last test; each test runs
in a savepoint of it (pytest-django's `db`), so whatever a test writes is
rolled back before the next one, as with a demo of its own.

For modules whose tests are not transactional: a live server or a flushed
test cannot see data that was never committed (they load their own demo).
Every database test of a module that uses `demo` sees the demo: a test that
needs an empty database goes in another module.
"""

from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import translation

from agora.core import pagecache
from agora.core.models import Organization


def isolated_settings(folder: Path, storages: dict) -> dict:
    """The settings every test runs with (conftest's autouse fixture): fast
    hashing, files under `folder`, no rate limits, cheap bot challenges."""
    return {
        "ALLOWED_HOSTS": ["*"],
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "MEDIA_ROOT": folder / "media",
        "AGORA_PRIVATE_MEDIA_ROOT": folder / "private",
        "STORAGES": {
            **storages,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "ACCOUNT_RATE_LIMITS": False,
        # Bot challenges (agora.moderation.challenges) that the tests solve in a few milliseconds.
        "AGORA_ALTCHA_COST": 1,
        "AGORA_ALTCHA_MAX_NUMBER": 40,
    }


@pytest.fixture(scope="module")
def demo_of_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """(The demo organization's id, the folder of its files), loaded once for the
    module in a transaction rolled back after the module's last test."""
    from django.conf import settings

    # local: the demo imports every component; the root conftest registers this plugin before they load.
    from agora.demo.city import load_demo

    folder = tmp_path_factory.mktemp("demo")
    module = transaction.atomic()
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or name.startswith("test_"), f"not a test database: {name}"
        module.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(**isolated_settings(folder, settings.STORAGES)):
            pagecache.forget_memo()
            organization, _created = load_demo(host="testserver")
            # The demo's deferred foreign keys checked once, here, rather than again at
            # the end of each test (Django's TestCase checks the whole transaction's).
            connection.check_constraints()
            pagecache.forget_memo()
            translation.deactivate()
        yield organization.pk, folder
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module.__exit__(None, None, None)


@pytest.fixture
def demo(request, demo_of_the_module, db, settings) -> Organization:
    """The demo city's organization (host "testserver"), loaded once per module;
    what the test writes is rolled back after it."""
    flushed = {"transactional_db", "live_server"} & set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        flushed.add("django_db(transaction=True)")
    if flushed:
        pytest.fail(f"`demo` is for rolled-back tests; {', '.join(sorted(flushed))} load their own demo")
    organization_id, folder = demo_of_the_module
    # The demo's pictures and documents were written under the module's folder.
    settings.MEDIA_ROOT = folder / "media"
    settings.AGORA_PRIVATE_MEDIA_ROOT = folder / "private"
    return Organization.objects.get(pk=organization_id)
