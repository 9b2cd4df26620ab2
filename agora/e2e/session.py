"""Logging in from a browser test: through the login form (what a person does)
or by handing the browser a session made by Django's test client (faster, when
the login itself is not what is tested)."""

from django.test import Client

# The password agora.testing.factories.UserFactory gives everyone.
PASSWORD = "correct horse battery"


def log_in_with_the_form(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def log_in_as(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
