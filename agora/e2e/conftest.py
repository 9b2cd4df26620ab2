"""Every test under agora/e2e is a browser test (marked `browser`, slow, run
in CI). The browser fixtures are in agora/testing/browser.py."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "agora/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
