"""Browser fixtures shared by every browser test (agora/e2e and the apps'
own axe tests): Playwright drives Debian's Chromium (/usr/bin/chromium); no
browser is ever downloaded. One session-wide browser: Playwright's sync API
allows only one instance per thread, so the fixtures live here, registered
once by the root conftest, and no test module imports them."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (see .ci/run)")
    # Playwright's sync API runs an event loop in this thread; the Django ORM
    # calls that the tests make around it are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright  # local: a test-only dependency (requirements-test.txt)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Every page reports what its Content-Security-Policy blocked (a "securitypolicyviolation"
# event) to the test, which fails: a blocked script or style is a broken page.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.agoraCspViolation([event.documentURI, event.effectiveDirective, "blocked " + (event.blockedURI || "inline"),
                            "at " + (event.sourceFile || "?") + ":" + event.lineNumber, event.sample].join(" | "));
});
"""


@pytest.fixture
def page(browser):
    """A page in a new browser context. `page.csp_violations` lists what the
    Content-Security-Policy blocked (events and console messages); the test
    fails at teardown if any is left (a test that provokes one on purpose
    empties the list)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    violations = []
    context.expose_function("agoraCspViolation", lambda text: violations.append(text))
    context.add_init_script(_REPORT_VIOLATIONS)
    page = context.new_page()
    page.csp_violations = violations
    page.on(
        "console",
        lambda message: (
            violations.append(f"console: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.set_default_timeout(15000)
    yield page
    context.close()
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(sorted(set(violations))))
