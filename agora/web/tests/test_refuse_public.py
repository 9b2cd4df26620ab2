"""One way to refuse a public page or a participant's action (agora.web.access.refuse_public):
an anonymous visitor whom logging in may let in goes to the login page and comes back;
anyone else gets the refusal page (403) with the reason and the way to lift it."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from agora import permissions
from agora.web.access import refuse_public

LOGIN = "/accounts/login/"


def _request(method, path, user=None, data=None, **headers):
    request = getattr(RequestFactory(), method)(path, data or {}, **headers)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _log_in_first():
    return permissions.deny("Log in or create an account to take part.", reverse("account_login"), "Log in")


def test_the_login_page_is_the_one_allauth_serves():
    assert reverse("account_login") == LOGIN


def test_an_anonymous_visitor_on_a_page_logs_in_and_comes_back_with_the_reason(organization):
    request = _request("get", "/processes/budget/f/3/new/?category=2")
    response = refuse_public(request, _log_in_first())
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote('/processes/budget/f/3/new/?category=2')}"
    assert [str(m) for m in get_messages(request)] == ["Log in or create an account to take part."]


@pytest.mark.parametrize(
    "posted, headers, back",
    [
        ({"next": "/processes/budget/f/3/7/"}, {}, "/processes/budget/f/3/7/"),
        (
            {},
            {"HTTP_REFERER": "http://testserver/processes/budget/f/3/?order=recent"},
            "/processes/budget/f/3/?order=recent",
        ),
        ({"next": "https://evil.example/"}, {"HTTP_REFERER": "https://evil.example/x"}, "/"),
    ],
)
def test_an_anonymous_visitor_posting_a_form_comes_back_to_the_page_of_the_form(organization, posted, headers, back):
    request = _request("post", "/processes/budget/f/3/7/support/", data=posted, **headers)
    response = refuse_public(request, _log_in_first())
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote(back)}"


def test_without_a_page_to_come_back_to_the_component_or_the_space(organization, process):
    request = _request("post", "/x/support/")
    request.space = process
    assert refuse_public(request, _log_in_first())["Location"] == f"{LOGIN}?next={quote(process.get_absolute_url())}"
    assert refuse_public(request, _log_in_first(), next_url="/y/")["Location"] == f"{LOGIN}?next={quote('/y/')}"


def test_an_anonymous_visitor_refused_for_everyone_gets_the_page(organization, process):
    request = _request("get", "/processes/budget/f/3/new/")
    request.space = process
    response = refuse_public(request, permissions.deny("The filing of ideas is closed."))
    assert response.status_code == 403
    assert "The filing of ideas is closed." in response.content.decode()


def test_logged_in_people_get_the_refusal_page_with_the_way_to_lift_it(organization, process, participant):
    request = _request("post", "/x/support/", user=participant, data={"next": "/processes/budget/f/3/7/"})
    request.organization, request.space = organization, process
    decision = permissions.deny("Accept the terms to take part.", reverse("accounts:terms"), "Read the terms")
    response = refuse_public(request, decision)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accept the terms to take part." in html
    assert f'href="{reverse("accounts:terms")}?next=/processes/budget/f/3/7/"' in html  # back to the form's page
    request = _request("get", "/x/", user=participant)
    request.organization = organization
    response = refuse_public(request, _log_in_first(), status=429, space=None)
    assert response.status_code == 429  # logged in: never sent to log in again
    assert "<h1>Access refused</h1>" in response.content.decode() or "<h1>Accès refusé" in response.content.decode()
