"""Login lockout never lets a stranger lock someone out ("Also" of issue 13): failed
logins count per account AND address together; a generous per-address limit stops
credential stuffing without blocking a desk where people mistype their passwords."""

import pytest

from agora import settings as production_settings
from agora.testing import factories

LOGIN = "/accounts/login/"
RIGHT = "correct horse battery"
ATTACKER, OWNER, DESK = "203.0.113.66", "198.51.100.7", "192.0.2.10"


@pytest.fixture(autouse=True)
def _production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = production_settings.ACCOUNT_RATE_LIMITS


def login(client, email, password, address):
    response = client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=address)
    logged_in = "_auth_user_id" in client.session
    client.logout()
    return logged_in, response


def test_a_stranger_hammering_an_account_does_not_lock_its_owner_out(client, organization, participant):
    for _attempt in range(20):
        logged_in, _response = login(client, participant.email, "wrong password", ATTACKER)
        assert not logged_in
    # The attacker's own address is locked out of this account, even with the right password...
    logged_in, response = login(client, participant.email, RIGHT, ATTACKER)
    assert not logged_in and response.context["form"].non_field_errors()
    # ... while the owner, from their address, logs in.
    logged_in, _response = login(client, participant.email, RIGHT, OWNER)
    assert logged_in


def test_five_failures_on_one_account_from_one_address_still_lock_that_pair(client, organization, participant):
    for _attempt in range(5):
        assert not login(client, participant.email, "wrong password", OWNER)[0]
    assert not login(client, participant.email, RIGHT, OWNER)[0]


def test_a_desk_where_people_mistype_keeps_logging_people_in(client, organization):
    people = [factories.UserFactory() for _ in range(15)]
    for person in people:
        for _typo in range(2):
            assert not login(client, person.email, "wrong password", DESK)[0]
        assert login(client, person.email, RIGHT, DESK)[0], person.email


def test_credential_stuffing_from_one_address_is_stopped(client, organization, participant):
    for number in range(100):
        login(client, f"nobody{number}@example.org", "123456", ATTACKER)
    assert not login(client, participant.email, RIGHT, ATTACKER)[0]
    assert login(client, participant.email, RIGHT, OWNER)[0]
