"""A person registers, confirms by the link in the e-mail, logs in and opens
the participatory budget — in a real browser."""

import re

from django.core import mail

from agora.demo.city import load_demo
from agora.e2e.crawl import axe_violations


def test_register_confirm_log_in_and_open_the_process(page, live_server, transactional_db):
    load_demo(host="localhost")
    base = live_server.url

    page.goto(f"{base}/accounts/signup/")
    # An empty form (browser validation off) comes back with its errors listed, still accessible.
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() > 0
    assert axe_violations(page) == []

    page.fill("input[name=name]", "Inès Lefèvre")
    page.fill("input[name=username]", "ines")
    page.fill("input[name=email]", "ines@example.org")
    page.fill("input[name=password1]", "un mot de passe solide 2026")
    page.fill("input[name=password2]", "un mot de passe solide 2026")
    page.check("input[name=accept_terms]")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/confirm-email/" in page.url

    # One e-mail to Inès (the demo's own voters got their 2025 receipts when it was loaded).
    [message] = [message for message in mail.outbox if message.to == ["ines@example.org"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link.replace("http://localhost/", f"{base}/").replace("http://testserver/", f"{base}/"))
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    # Log out if the confirmation logged us in, then log in with the form.
    if page.locator("form[action='/accounts/logout/'] button").count():
        page.click("form[action='/accounts/logout/'] button")
        page.wait_for_load_state()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "ines@example.org")
    page.fill("input[name=password]", "un mot de passe solide 2026")
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{base}/processes/budget-participatif-2026/")
    assert page.locator("h1").inner_text() == "Budget participatif 2026"
    assert page.locator("a[href='/profiles/ines/']").count() == 1  # logged in as Inès
