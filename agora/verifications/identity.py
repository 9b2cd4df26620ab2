"""Identity keys: salted hashes of who a person is, per organization."""

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from agora.verifications.models import OrganizationSalt


def normalize(text: str) -> str:
    """ "  Élodie-Marie  d'Arc " -> "elodie marie d arc": no accents, no case,
    hyphens and apostrophes as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


def normalize_phone(number: str) -> str:
    """French-style numbers to E.164-like digits: "06 12 34 56 78" -> "+33612345678"."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0") and len(digits) == 10:
        digits = "+33" + digits[1:]
    return digits


def salt_of(organization) -> str:
    return OrganizationSalt.objects.get_or_create(organization=organization)[0].salt


def hashed(organization, *parts: str, salt: str | None = None) -> str:
    salt = salt if salt is not None else salt_of(organization)
    return hmac.new(salt.encode(), "|".join(parts).encode(), hashlib.sha256).hexdigest()


def person_key(organization, *, last_name: str, first_name: str, birth_date: date, salt: str | None = None) -> str:
    """The key of a civil identity: census, identity document, in-person check
    and OpenID Connect claims all give the same key for the same person."""
    return hashed(
        organization, "person", normalize(last_name), normalize(first_name), birth_date.isoformat(), salt=salt
    )


def phone_key(organization, number: str) -> str:
    return hashed(organization, "phone", normalize_phone(number))


def code_hash(organization, code: str) -> str:
    return hashed(organization, "code", code.strip().upper().replace(" ", ""))


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
