"""The themes in a browser: the "High contrast" button works without
JavaScript and is remembered, the system's `prefers-contrast: more` gives the
high-contrast theme until the person chooses, and `prefers-reduced-motion`
turns transitions off."""

from agora.demo.city import load_demo

TEXT = "getComputedStyle(document.body).color"


def test_the_contrast_button_works_without_javascript(browser, live_server, transactional_db):
    load_demo(host="localhost")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "agora_language", "value": "fr", "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/processes/")
    assert page.evaluate(TEXT) == "rgb(26, 26, 26)"
    button = page.get_by_role("button", name="Contraste élevé")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/processes/"  # back where the person was
    assert page.evaluate("document.documentElement.dataset.theme") == "contrast"
    assert page.evaluate(TEXT) == "rgb(0, 0, 0)"
    page.goto(live_server.url + "/")  # remembered on the next page
    assert page.get_by_role("button", name="Contraste élevé").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Contraste élevé").click()
    page.wait_for_load_state()
    assert page.evaluate(TEXT) == "rgb(26, 26, 26)"
    context.close()


def test_the_system_preferences_are_honoured(page, live_server, transactional_db):
    load_demo(host="localhost")
    page.emulate_media(contrast="more", reduced_motion="reduce")
    page.goto(live_server.url + "/")
    assert page.evaluate(TEXT) == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.querySelector('.button')).transitionDuration") == "0s"
    page.context.add_cookies([{"name": "agora_theme", "value": "light", "url": live_server.url}])
    page.goto(live_server.url + "/")
    assert page.evaluate(TEXT) == "rgb(26, 26, 26)"  # the person chose the light theme
    page.emulate_media(contrast="no-preference", reduced_motion="no-preference")
    assert page.evaluate("getComputedStyle(document.querySelector('.button')).transitionDuration") != "0s"
