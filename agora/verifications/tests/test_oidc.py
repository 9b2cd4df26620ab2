"""OpenID Connect verification against a local provider (no internet)."""

from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from agora.testing import factories
from agora.verifications import services
from agora.verifications.models import Verification

from .oidc_provider import LocalOidcProvider

CLAIMS = {
    "sub": "fc-123",
    "given_name": "Éloïse Marie",
    "family_name": "Zébulon-Dupré",
    "birthdate": "2009-06-15",
    "address": {"postal_code": "45400"},
}


@pytest.fixture
def provider(organization, org_admin, settings):
    # The local provider listens on loopback, which Agora calls only when allowed (agora.core.outgoing).
    settings.AGORA_OUTGOING_ALLOWED_HOSTS = ["127.0.0.1/32"]
    with LocalOidcProvider(dict(CLAIMS)) as provider:
        services.configure_oidc(
            actor=org_admin,
            organization=organization,
            name="FranceConnect",
            slug="franceconnect",
            server_url=provider.url,
            client_id=provider.client_id,
            secret=provider.client_secret,
        )
        yield provider


def _verify_through_the_provider(client, provider):
    page = client.get("/verifications/oidc/?next=/processes/budget/")
    assert page.status_code == 200
    login_url = page.context["login_url"]
    to_provider = client.post(login_url)
    assert to_provider.status_code == 302 and to_provider["Location"].startswith(provider.url + "/authorize")
    back = requests.get(to_provider["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(back.headers["Location"])
    assert callback.netloc == "testserver"
    after_callback = client.get(callback.path, parse_qs(callback.query))
    assert after_callback.status_code == 302, after_callback.content[:500]
    return client.get(after_callback["Location"])


def test_oidc_end_to_end(client, organization, participant, provider):
    client.force_login(participant)
    done = _verify_through_the_provider(client, provider)
    assert done.status_code == 302 and done["Location"] == "/processes/budget/"
    verification = Verification.objects.get(user=participant, method="oidc")
    assert verification.status == "active"
    assert (verification.birth_date, verification.postal_code) == (date(2009, 6, 15), "45400")
    assert {"GET /.well-known/openid-configuration", "POST /token", "GET /userinfo"} <= set(provider.requests)
    # Minimal evidence: the provider's connection and its claims are not kept.
    assert not SocialAccount.objects.filter(user=participant).exists()


def test_oidc_identity_is_the_census_identity(client, organization, org_admin, participant, provider):
    """The same person already verified at a desk cannot verify a second account online."""
    holder = factories.UserFactory()
    services.record_in_person(
        actor=org_admin,
        organization=organization,
        user=holder,
        last_name="Zebulon Dupre",
        first_name="eloise",
        birth_date=date(2009, 6, 15),
    )
    client.force_login(participant)
    _verify_through_the_provider(client, provider)
    assert Verification.objects.get(user=participant, method="oidc").status == "conflict"


def test_the_provider_signs_its_id_tokens(provider):
    """The local provider is a real one: its id_token verifies with its JWKS."""
    import jwt

    token = provider.id_token()
    keys = requests.get(provider.url + "/jwks", timeout=5).json()["keys"]
    key = jwt.algorithms.RSAAlgorithm.from_jwk(keys[0])
    assert jwt.decode(token, key, algorithms=["RS256"], audience=provider.client_id)["sub"] == "fc-123"
