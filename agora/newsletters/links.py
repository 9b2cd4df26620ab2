"""The one-click unsubscribe link of a newsletter: a signed token of the
person and the organization (no expiry: an old newsletter's link still
works), read without logging in."""

from django.core import signing

SALT = "agora.newsletters.unsubscribe"


def unsubscribe_token(user_id: int, organization_id: int) -> str:
    return signing.dumps({"u": user_id, "o": organization_id}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    try:
        value = signing.loads(token, salt=SALT)
        return int(value["u"]), int(value["o"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
