"""Error pages (issue 24, section 5): a branded 500 page, a 503 "try again in
a moment" page when the database cannot be reached, in French and English,
nothing technical, the request id on the page, in the response header and in
the log records; rendered without the database."""

import logging
import re

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from agora.core.requests import HEADER, RequestIdFilter

FAILING = "/failing/"


def client(language=None, **headers):
    browser = Client(raise_request_exception=False, **headers)
    if language:
        browser.cookies["agora_language"] = language
    return browser


def shown_id(html):
    return re.search(r'<code class="request-id">([^<]+)</code>', html).group(1)


@pytest.mark.urls("agora.core.tests.error_urls")
@pytest.mark.parametrize(
    "language, heading, language_attribute",
    [
        (None, "Une erreur s'est produite", 'lang="fr"'),
        ("en", "Something went wrong", 'lang="en"'),
    ],
)
def test_a_failing_view_gives_the_branded_500_page_with_the_request_id(
    organization, caplog, language, heading, language_attribute
):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING):
        response = client(language).get(FAILING)
    html = response.content.decode()
    assert response.status_code == 500
    assert heading in html and language_attribute in html and "agora.css" in html
    assert "secret detail" not in html and "RuntimeError" not in html and "Traceback" not in html
    request_id = response[HEADER]
    assert shown_id(html) == request_id and re.fullmatch(r"[0-9a-f]{32}", request_id)
    logged = {(record.name, record.request_id) for record in caplog.records}
    assert ("agora.tests", request_id) in logged  # what the view logged
    assert ("django.request", request_id) in logged  # the error and its traceback


@pytest.mark.urls("agora.core.tests.error_urls")
def test_the_proxy_request_id_is_kept_when_valid_and_replaced_otherwise(organization):
    kept = client(HTTP_X_REQUEST_ID="edge-7f3a9c1e-42").get(FAILING)
    assert kept[HEADER] == "edge-7f3a9c1e-42" and shown_id(kept.content.decode()) == "edge-7f3a9c1e-42"
    forged = client(HTTP_X_REQUEST_ID="x\nERROR forged log line").get("/")
    assert forged[HEADER] != "x\nERROR forged log line" and re.fullmatch(r"[0-9a-f]{32}", forged[HEADER])
    assert client().get("/")[HEADER] != client().get("/")[HEADER]  # one per request


@pytest.mark.parametrize("error", [OperationalError("connection refused"), InterfaceError("connection closed")])
@pytest.mark.parametrize("language, heading", [("fr", "Réessayez dans un instant"), ("en", "Try again in a moment")])
def test_a_database_out_of_reach_gives_the_503_page_without_touching_it(monkeypatch, error, language, heading):
    def unreachable(self):
        raise error

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", unreachable)
    response = client(HTTP_ACCEPT_LANGUAGE=language).get("/")
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert heading in html
    assert "connection" not in html.lower()
    assert shown_id(html) == response[HEADER]
