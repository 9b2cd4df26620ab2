"""The links and tokens a notification carries, below the models and the
services that both use them (so neither imports the other)."""

from django.core import signing

UNSUBSCRIBE_SALT = "agora.notifications.unsubscribe"


def safe_url(url: str) -> str:
    """A link a notification may carry: a path of the site or an http(s)
    address; anything else (javascript:, data: ...) is dropped."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url[:500]
    if url.lower().startswith(("https://", "http://")):
        return url[:500]
    return ""


def unsubscribe_token(user_id: int, organization_id: int) -> str:
    return signing.dumps({"u": user_id, "o": organization_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(value["u"]), int(value["o"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
