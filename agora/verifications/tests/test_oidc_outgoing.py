"""The OpenID Connect discovery address an officer types is never a way into the
server's network (finding 7): refused when saved, refused when fetched (also when it
was saved before), and the participant reads a clear message, never a 500."""

import socket
from html import unescape

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from agora.verifications import services
from agora.verifications.models import EnabledMethod

from .oidc_provider import LocalOidcProvider
from .test_oidc import CLAIMS

LOOPBACK_URLS = [
    "http://127.0.0.1:{port}",
    "http://[::1]:{port}",
    "http://169.254.169.254/latest",
    "http://10.0.0.1",
    "http://localhost:{port}",
]


@pytest.fixture
def local_provider():
    with LocalOidcProvider(dict(CLAIMS)) as provider:
        yield provider


def _port(provider):
    return provider.server.server_address[1]


@pytest.mark.parametrize("address", LOOPBACK_URLS)
def test_a_private_discovery_address_is_a_form_error(client, organization, org_admin, local_provider, address):
    url = address.format(port=_port(local_provider))
    client.force_login(org_admin)
    response = client.post(
        reverse("verifications_admin:overview"),
        {"oidc": "1", "name": "IdP", "slug": "idp", "server_url": url, "client_id": "x", "secret": "y"},
    )
    assert response.status_code == 200
    assert "Agora does not call" in unescape(response.content.decode()) or "n’appelle pas" in unescape(
        response.content.decode()
    )
    assert not SocialApp.objects.exists()
    with pytest.raises(services.ValidationError):
        services.configure_oidc(
            actor=org_admin, organization=organization, name="IdP", slug="idp", server_url=url, client_id="x"
        )
    assert local_provider.requests == []


def _provider_saved_before_the_fix(organization, server_url):
    """A provider whose address was saved before the check existed (or whose name now
    resolves elsewhere): stored directly, as the old code did."""
    provider_id = f"org{organization.pk}-old"
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id=provider_id,
        name="Old",
        client_id="x",
        secret="y",
        settings={"server_url": server_url},
    )
    EnabledMethod.objects.create(
        organization=organization, method="oidc", options={"provider_id": provider_id, "name": "Old"}
    )
    return provider_id


def _start(client):
    page = client.get("/verifications/oidc/")
    assert page.status_code == 200
    response = client.post(page.context["login_url"])
    assert response.status_code == 302 and response["Location"].startswith("/verifications/oidc/")
    return unescape(client.get(response["Location"]).content.decode())


def test_a_loopback_provider_is_never_fetched_and_the_page_says_why(client, organization, participant, local_provider):
    _provider_saved_before_the_fix(organization, local_provider.url)
    client.force_login(participant)
    page = _start(client)
    assert "cannot be reached" in page or "injoignable" in page
    assert local_provider.requests == []


def test_a_name_resolving_to_loopback_is_refused(client, organization, participant, local_provider, monkeypatch):
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *args, **kwargs: real("127.0.0.1" if host == "idp.example" else host, *args, **kwargs),
    )
    _provider_saved_before_the_fix(organization, f"http://idp.example:{_port(local_provider)}")
    client.force_login(participant)
    _start(client)
    assert local_provider.requests == []


def test_an_unreachable_provider_is_a_message(client, organization, participant, settings):
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["127.0.0.1/32"]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    _provider_saved_before_the_fix(organization, f"http://127.0.0.1:{port}")
    client.force_login(participant)
    page = _start(client)
    assert "cannot be reached" in page or "injoignable" in page


def test_a_provider_answering_nonsense_is_a_message(client, organization, participant, settings, local_provider):
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["127.0.0.1/32"]
    _provider_saved_before_the_fix(organization, local_provider.url + "/nothing-here")
    client.force_login(participant)
    page = _start(client)
    assert "cannot be reached" in page or "injoignable" in page
