"""The bot challenge (ALTCHA's proof of work): a solution is accepted once,
before it expires, for a challenge this server signed."""

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from agora.moderation import challenges
from agora.moderation.models import SpentChallenge
from agora.testing.challenges import solve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_solved_challenge_is_accepted_once():
    payload = solve(challenges.issue())
    assert challenges.verify(payload)
    assert SpentChallenge.objects.count() == 1
    replayed = challenges.verify(payload)
    assert not replayed and replayed.code == "replayed" and "already used" in replayed.message


def test_an_expired_challenge_is_refused():
    payload = solve(challenges.issue(now=timezone.now() - timedelta(hours=2)))
    outcome = challenges.verify(payload)
    assert not outcome and outcome.code == "expired"
    assert not SpentChallenge.objects.exists()


def _tampered(payload: str, change) -> str:
    data = json.loads(base64.b64decode(payload))
    change(data)
    return base64.b64encode(json.dumps(data).encode()).decode()


def test_wrong_solutions_and_forged_challenges_are_refused():
    payload = solve(challenges.issue())

    def wrong_key(data):
        data["solution"]["derivedKey"] = "00" * 32

    def easier(data):  # the browser makes its own challenge: the signature no longer holds
        data["challenge"]["parameters"]["keyPrefix"] = "0"

    def unsigned(data):
        data["challenge"].pop("signature")

    for change in (wrong_key, easier, unsigned):
        outcome = challenges.verify(_tampered(payload, change))
        assert not outcome and outcome.code == "invalid", change.__name__
    for garbage in ("not base64 at all", base64.b64encode(b"[1, 2]").decode(), base64.b64encode(b"{}").decode()):
        assert challenges.verify(garbage).code == "invalid"
    assert challenges.verify("").code == "missing"
    assert not SpentChallenge.objects.exists()
    # The untouched payload still passes (nothing above spent it).
    assert challenges.verify(payload)


def test_a_challenge_signed_with_another_secret_is_refused(settings):
    payload = solve(challenges.issue())
    settings.SECRET_KEY = "another-secret-" + "x" * 40
    assert challenges.verify(payload).code == "invalid"


def test_challenges_differ_and_expired_spent_rows_are_cleared(monkeypatch):
    first, second = challenges.issue(), challenges.issue()
    assert first["parameters"]["nonce"] != second["parameters"]["nonce"]
    SpentChallenge.objects.create(nonce="old", expires_at=timezone.now() - timedelta(minutes=1))
    monkeypatch.setattr(challenges.random, "random", lambda: 0.0)
    assert challenges.verify(solve(first))
    assert list(SpentChallenge.objects.values_list("nonce", flat=True)) == [first["parameters"]["nonce"]]
