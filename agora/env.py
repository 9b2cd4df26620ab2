"""Tiny typed readers for settings that come from the environment."""

import os
from urllib.parse import urlsplit


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def csp_source(url_template: str) -> str | None:
    """The Content-Security-Policy source of the host in a URL template such as
    AGORA_MAP_TILES_URL: "https://{s}.tile.example.org/{z}/{x}/{y}.png" gives
    "https://*.tile.example.org". A placeholder elsewhere than the first label
    of the host cannot be a CSP wildcard: then only the scheme ("https:")."""
    parts = urlsplit(url_template.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None  # a path on this site ('self' covers it) or nothing usable
    labels = parts.netloc.split(".")
    wildcard = [("{" in label or "}" in label) for label in labels]
    if wildcard[0] and not any(wildcard[1:]):
        labels[0] = "*"
    elif any(wildcard):
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{'.'.join(labels)}"
