"""Terms of use: the page, accepting, and the middleware asking for it."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from agora.accounts.models import Membership
from agora.accounts.services import accept_terms
from agora.permissions import PermissionDenied, can
from agora.testing import factories

TERMS = "/terms/"


def test_terms_page_shows_current_version(client, organization):
    factories.TermsVersionFactory(
        organization=organization, version=2, body={"fr": "<p>Charte v2</p>", "en": "<p>Charter v2</p>"}
    )
    assert reverse("accounts:terms") == TERMS
    html = client.get(TERMS).content.decode()
    assert "Charte v2" in html
    assert html.count("<h1") == 1
    assert "I accept" not in html and "accepte" not in html  # anonymous: nothing to accept


def test_up_to_date_person_sees_no_form(client, organization, participant):
    client.force_login(participant)
    html = client.get(TERMS).content.decode()
    assert 'action="/terms/"' not in html


def test_middleware_redirects_after_a_version_bump(client, organization, participant):
    client.force_login(participant)
    assert client.get("/").status_code == 200  # version 1 accepted
    factories.TermsVersionFactory(organization=organization, version=2)
    response = client.get("/processes/?page=2&x=1")
    assert response.status_code == 302
    assert response.url == f"{TERMS}?next={quote('/processes/?page=2&x=1', safe='')}"
    assert not can(participant, "participate", organization)

    page = client.get(response.url)  # no loop: the terms page itself answers
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/terms/"' in html
    assert 'name="next" value="/processes/?page=2&amp;x=1"' in html

    accepted = client.post(TERMS, {"next": "/processes/?page=2&x=1"})
    assert accepted.status_code == 302
    assert accepted.url == "/processes/?page=2&x=1"
    assert Membership.objects.get(user=participant, organization=organization).accepted_terms_version == 2
    assert client.get("/").status_code == 200
    participant.__dict__.pop("_agora_terms", None)
    assert can(participant, "participate", organization)


@pytest.mark.parametrize("path", [TERMS, "/accounts/logout/", "/account/settings/", "/account/delete/"])
def test_middleware_lets_these_pages_through(client, organization, participant, path):
    factories.TermsVersionFactory(organization=organization, version=2)
    client.force_login(participant)
    assert client.get(path).status_code == 200


def test_middleware_only_redirects_gets(client, organization, participant):
    factories.TermsVersionFactory(organization=organization, version=2)
    client.force_login(participant)
    # A POST is not redirected (the "participate" rule refuses what needs it).
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"


def test_anonymous_visitors_are_not_redirected(client, organization):
    factories.TermsVersionFactory(organization=organization, version=2)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("evil", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"])
def test_next_must_stay_on_the_site(client, organization, participant, evil):
    factories.TermsVersionFactory(organization=organization, version=2)
    client.force_login(participant)
    response = client.post(TERMS, {"next": evil})
    assert response.status_code == 302
    assert response.url == "/"


def test_person_registered_elsewhere_accepts_and_becomes_member(client, organization, other_organization):
    person = factories.UserFactory()
    factories.member_of(person, other_organization)
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(TERMS)
    client.post(TERMS, {"next": "/"})
    membership = Membership.objects.get(user=person, organization=organization)
    assert membership.accepted_terms_version == 1
    # The other organization's membership is untouched.
    assert Membership.objects.filter(user=person).count() == 2


def test_invitation_only_organization_does_not_take_outsiders(client, organization, other_organization):
    organization.registration_mode = "invitation"
    organization.save()
    person = factories.UserFactory()
    factories.member_of(person, other_organization)
    with pytest.raises(PermissionDenied):
        accept_terms(user=person, organization=organization)
    client.force_login(person)
    html = client.get(TERMS).content.decode()
    assert 'action="/terms/"' not in html
    client.post(TERMS, {"next": "/"})
    assert not Membership.objects.filter(user=person, organization=organization).exists()


def test_members_of_invitation_only_organization_accept_new_versions(organization, participant):
    organization.registration_mode = "invitation"
    organization.save()
    factories.TermsVersionFactory(organization=organization, version=2)
    accept_terms(user=participant, organization=organization)
    assert Membership.objects.get(user=participant, organization=organization).accepted_terms_version == 2


def test_anonymous_cannot_accept(client, organization):
    response = client.post(TERMS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Membership.objects.exists()


def test_other_organization_terms_are_not_shown(client, organization, other_organization):
    factories.TermsVersionFactory(organization=other_organization, version=5, body={"fr": "<p>Secret B</p>"})
    html = client.get(TERMS).content.decode()
    assert "Secret B" not in html
    other = client.get(TERMS, HTTP_HOST="other.example.org").content.decode()
    assert "Secret B" in other
