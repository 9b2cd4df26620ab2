"""axe-core on every page of the demo city, public and back-office, in
French and in English. Any violation fails the test."""

import pytest
from django.test import Client

from agora.accounts.models import User
from agora.demo.city import load_demo
from agora.e2e.crawl import crawl

PUBLIC_START = ["/", "/processes/", "/assemblies/", "/terms/", "/accessibility/", "/accounts/login/",
                "/accounts/signup/", "/accounts/password/reset/", "/profiles/camille/",
                "/search/?q=budget"]


@pytest.fixture
def demo(transactional_db, live_server):
    organization, _created = load_demo(host="localhost")
    return organization


def _log_in(page, live_server, email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def _set_language(page, live_server, language):
    page.context.add_cookies([{"name": "agora_language", "value": language, "url": live_server.url}])


def _report(violations, errors):
    lines = [f"{path}: {v}" for path, found in violations.items() for v in found]
    lines += [f"{path}: HTTP {status}" for path, status in errors]
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_pages_have_no_axe_violation(page, live_server, demo, language):
    _set_language(page, live_server, language)
    violations, errors, visited = crawl(page, live_server.url, PUBLIC_START,
                                        within=("/", ), max_pages=60)
    assert len(visited) >= len(PUBLIC_START)
    assert not violations and not errors, _report(violations, errors)
    assert page.evaluate("document.documentElement.lang") == language


@pytest.mark.parametrize("language", ["fr", "en"])
def test_participant_pages_have_no_axe_violation(page, live_server, demo, language):
    _set_language(page, live_server, language)
    _log_in(page, live_server, "camille@belleville.example")
    violations, errors, visited = crawl(page, live_server.url, ["/account/settings/", "/account/delete/",
                                                                "/accounts/email/", "/accounts/password/change/"],
                                        within=("/account",), max_pages=20)
    assert not violations and not errors, _report(violations, errors)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_backoffice_pages_have_no_axe_violation(page, live_server, demo, language):
    _set_language(page, live_server, language)
    _log_in(page, live_server, "admin@belleville.example")
    violations, errors, visited = crawl(page, live_server.url, ["/admin/"], within=("/admin/",), max_pages=150)
    assert len(visited) > 5, visited
    assert not violations and not errors, _report(violations, errors)
