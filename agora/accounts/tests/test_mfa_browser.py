"""Setting up two-factor authentication in a real browser, then logging in
with it; axe-core on every page of the way."""

import pytest

from agora.accounts.tests.test_mfa import PASSWORD, current_code
from agora.e2e.crawl import axe_violations
from agora.testing import factories

pytestmark = [pytest.mark.browser]


def test_set_up_an_authenticator_app_then_log_in_with_it(page, live_server, transactional_db):
    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    person = factories.UserFactory(email="agent@example.org")
    factories.member_of(person, organization)
    base = live_server.url

    def log_in():
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", person.email)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")

    log_in()
    page.goto(f"{base}/account/settings/")
    with page.expect_navigation():
        page.click("main a[href='/accounts/2fa/']")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.click("main a[href='/accounts/2fa/totp/activate/']")
    # The password is asked again first.
    assert "/accounts/reauthenticate/" in page.url
    assert axe_violations(page) == []
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/2fa/totp/activate/" in page.url
    assert axe_violations(page) == []
    secret = page.locator("#totp-secret").inner_text()
    page.fill("input[name=code]", current_code(secret))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert axe_violations(page) == []
    assert page.locator("main code").count() >= 10  # the recovery codes, shown once set up

    page.goto(f"{base}/accounts/2fa/")
    assert axe_violations(page) == []
    # Log out, log in again: the code is asked after the password.
    page.context.clear_cookies()
    log_in()
    assert "/accounts/2fa/authenticate/" in page.url
    assert axe_violations(page) == []
    page.fill("input[name=code]", "000000" if current_code(secret) != "000000" else "111111")
    with page.expect_navigation():
        page.click("main form button[type=submit] >> nth=0")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
