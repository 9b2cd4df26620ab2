"""A proof-of-work challenge against bots, for what people may do without an
account (answering a survey): ALTCHA's protocol (version 2, the `altcha`
library), no third party, no cookie, nothing about the person.

The server gives a signed challenge (`issue`): find the counter whose
PBKDF2/SHA-256 key, from the challenge's nonce and salt, starts with the given
prefix. The browser tries counters from 0 (`moderation/altcha.js`, WebCrypto:
about a second) and sends the payload (challenge and solution, base64 JSON)
with the form; `verify` checks the signature, the expiry and the solution (by
the derived key's signature: no key is derived again on the server), and that
the challenge was not used before (`SpentChallenge`, a unique row held by the
database, whichever server gets the second try).

Costs are settings: AGORA_ALTCHA_COST (PBKDF2 iterations per try) and
AGORA_ALTCHA_MAX_NUMBER (the counter is drawn below it); a challenge is good
for AGORA_ALTCHA_SECONDS.
"""

import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from agora.moderation.models import SpentChallenge

ALGORITHM = "PBKDF2/SHA-256"
FIELD = "altcha"  # the form field that carries the payload


def _secret(purpose: str) -> str:
    return salted_hmac(f"agora.moderation.challenges.{purpose}", "altcha").hexdigest()


def _cost() -> int:
    return max(1, settings.AGORA_ALTCHA_COST)


def _max_number() -> int:
    return max(10, settings.AGORA_ALTCHA_MAX_NUMBER)


def _seconds() -> int:
    return settings.AGORA_ALTCHA_SECONDS


def issue(*, now: datetime | None = None) -> dict:
    """A new signed challenge, as the browser gets it (JSON-ready)."""
    now = now or timezone.now()
    top = _max_number()
    challenge = altcha.create_challenge(
        ALGORITHM,
        _cost(),
        counter=secrets.randbelow(top - top // 10) + top // 10,  # never trivially small
        expires_at=now + timedelta(seconds=_seconds()),
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def issue_json() -> str:
    return json.dumps(issue(), separators=(",", ":"))


@dataclass(frozen=True)
class Outcome:
    ok: bool
    code: str = ""  # missing, invalid, expired, replayed
    message: str = ""

    def __bool__(self) -> bool:
        return self.ok


def _refused(code: str) -> Outcome:
    messages = {
        "missing": _(
            "Your browser did not prove it is not a robot: it needs JavaScript for a second. "
            "Turn JavaScript on and send again (your answers are kept), or log in: people with an account are "
            "not asked."
        ),
        "invalid": _("The check that you are not a robot failed: send again (your answers are kept)."),
        "expired": _("The check that you are not a robot is too old: send again (your answers are kept)."),
        "replayed": _("This check that you are not a robot was already used: send again (your answers are kept)."),
    }
    return Outcome(False, code, messages[code])


def verify(payload: str) -> Outcome:
    """Is this payload a solution of a challenge we issued, not expired, used
    for the first time? The use is recorded in the caller's transaction."""
    payload = (payload or "").strip()
    if not payload:
        return _refused("missing")
    try:
        result = altcha.verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
    except (ValueError, TypeError, KeyError, AttributeError):
        return _refused("invalid")
    if result.expired:
        return _refused("expired")
    if not result.verified:
        return _refused("invalid")
    parameters = altcha.Payload.from_base64(payload).challenge.parameters
    expires = datetime.fromtimestamp(parameters.expires_at or 0, tz=dt_timezone.utc)
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(nonce=str(parameters.nonce)[:64], expires_at=expires)
    except IntegrityError:
        return _refused("replayed")
    if random.random() < 0.01:  # now and again, the spent challenges that expired
        SpentChallenge.objects.filter(expires_at__lt=timezone.now()).delete()
    return Outcome(True)
