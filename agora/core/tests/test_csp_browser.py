"""The browser fixtures catch what a Content-Security-Policy blocks, so that
every browser test (the axe crawl included) fails on an inline style or
script the policy refuses."""

import pytest

pytestmark = [pytest.mark.browser]


def test_a_blocked_inline_style_and_script_are_reported(page):
    html = "<!DOCTYPE html><title>t</title><p style='color: red'>x</p><script>document.title = 'ran'</script>"
    page.route(
        "http://csp.invalid/",
        lambda route: route.fulfill(
            body=html,
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'"},
        ),
    )
    page.goto("http://csp.invalid/")
    page.wait_for_timeout(300)
    assert page.title() == "t"
    reported = " ".join(page.csp_violations)
    assert "style-src" in reported and "script-src" in reported
    page.csp_violations.clear()  # provoked on purpose


def test_agora_pages_are_served_with_the_policy(page, live_server, transactional_db):
    from agora.testing import factories

    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    response = page.goto(live_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy and "object-src 'none'" in policy
    # The organization's colours are applied: the nonce of the inline <style> matched.
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand')")
    assert brand.strip() == organization.primary_colour
