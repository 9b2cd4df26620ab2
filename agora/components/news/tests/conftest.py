import pytest

from agora.components import urls as component_urls


@pytest.fixture(autouse=True)
def _forget_component_types():
    # The URL converter remembers the type of each component id per process.
    # On SQLite, ids are reused after a test's rollback, so a remembered
    # "news" could shadow a new "pages" component with the same id.
    component_urls._manifest_of_component.clear()
    yield
    component_urls._manifest_of_component.clear()
