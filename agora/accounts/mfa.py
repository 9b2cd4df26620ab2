"""Two-factor authentication (django-allauth's mfa app: authenticator app codes
and recovery codes) with Agora's choices:

- the authenticator app shows the organization's name (not the host name);
- the TOTP secret and the recovery-code seed are encrypted in the database
  (Fernet, with a key derived from SECRET_KEY; keys derived from
  SECRET_KEY_FALLBACKS still decrypt, so a rotated key keeps working while the
  old one is listed there): a copy of the database alone does not give the
  second factor.
"""

import base64
import hashlib
import secrets

from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction

PREFIX = "fernet:"  # encrypted values; anything else was stored before encryption


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(f"agora.mfa:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def _encrypt(text: str) -> str:
    return PREFIX + _keys().encrypt(text.encode()).decode()  # (with the first key: SECRET_KEY)


def _decrypt(stored: str) -> str:
    """The plain value (values stored before encryption come back as they are);
    InvalidToken when no listed key decrypts it."""
    if not stored.startswith(PREFIX):
        return stored
    return _keys().decrypt(stored[len(PREFIX) :].encode()).decode()


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        organization = getattr(context.request, "organization", None)
        return organization.name if organization is not None else super().get_totp_issuer()

    def encrypt(self, text: str) -> str:
        return _encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _decrypt(encrypted_text)
        except InvalidToken:
            # SECRET_KEY changed without the old one in SECRET_KEY_FALLBACKS: a random
            # secret that nothing can match (never a fixed one, whose codes anybody
            # could compute); an administrator removes the person's authenticators.
            return base64.b32encode(secrets.token_bytes(20)).decode()


# The encrypted values of each kind of authenticator (allauth.mfa stores them in `data`).
ENCRYPTED_KEYS = ("secret", "seed")


def reencrypt_all() -> tuple[int, int]:
    """Encrypt every stored second-factor secret with the current SECRET_KEY (after
    a rotation, before the old key leaves SECRET_KEY_FALLBACKS; plain values from
    before encryption are encrypted too). Returns (authenticators changed,
    values that no listed key could decrypt, left as they were)."""
    changed, unreadable = 0, 0
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
            data, dirty = dict(authenticator.data), False
            for name in ENCRYPTED_KEYS:
                value = data.get(name)
                if not isinstance(value, str):
                    continue
                try:
                    plain = _decrypt(value)
                except InvalidToken:
                    unreadable += 1
                    continue
                data[name] = _encrypt(plain)
                dirty = True
            if dirty:
                authenticator.data = data
                authenticator.save(update_fields=["data"])
                changed += 1
    return changed, unreadable
