import pytest

from agora.core.models import Organization
from agora.spaces.models import Role
from agora.testing import factories
from agora.testing.demo import isolated_settings

# Browser fixtures (browser, page) for every app's browser tests; the demo city loaded once per module (demo).
pytest_plugins = ["agora.testing.browser", "agora.testing.demo"]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    for name, value in isolated_settings(tmp_path, settings.STORAGES).items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _forget_content_memo():
    # Content versions restart with each test's rollback: what a process kept
    # for a version must not outlive the test (never the case in production).
    from agora.core import pagecache

    pagecache.forget_memo()
    yield
    pagecache.forget_memo()


@pytest.fixture(autouse=True)
def _empty_the_cache_after_a_flushed_test(request, django_db_blocker):
    # The whole-page cache lives in a database table that pytest-django's flush
    # (transactional tests, the live server) does not empty, while the content
    # version it is keyed by starts again from zero: the next flushed test could
    # be served a page stored by the previous one (links to components that no
    # longer exist). Rolled-back tests roll the cache table back with the rest.
    yield
    marker = request.node.get_closest_marker("django_db")
    flushed = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if flushed:
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def _forget_component_types():
    # Component ids are reused after a test's rollback (not in production:
    # ids come from sequences), so the resolver's memo must not outlive a test.
    from agora.components import urls

    urls._manifest_of_component.clear()
    yield
    urls._manifest_of_component.clear()


@pytest.fixture
def organization(db) -> Organization:
    """The organization served at the test client's host ("testserver")."""
    org = factories.OrganizationFactory(host="testserver", name="Ville de Test")
    factories.TermsVersionFactory(organization=org, version=1)
    return org


@pytest.fixture
def other_organization(db) -> Organization:
    return factories.OrganizationFactory(host="other.example.org", name="Autre Ville")


@pytest.fixture
def participant(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    return user


@pytest.fixture
def org_admin(organization):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    Role.objects.create(user=user, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    return user


@pytest.fixture
def process(organization):
    return factories.SpaceFactory(organization=organization)


@pytest.fixture(autouse=True)
def _default_language_again():
    # A request in English (the test client's LocaleMiddleware activates the page's language)
    # leaves that language active in the thread: the next test would read English where it
    # expects the default language.
    from django.utils import translation

    yield
    translation.deactivate()
