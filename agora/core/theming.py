"""The look of an organization's pages: its colours as CSS custom properties
(agora.css's design tokens), and the visitor's theme (light or high contrast).

The organization's main and secondary colours are checked for 4.5:1 with
white text when saved (core.services.check_colour_contrast); the
high-contrast theme uses a darker form of each, `strong()`, for 7:1."""

from functools import lru_cache

from agora.core.forms import contrast_ratio

THEME_COOKIE = "agora_theme"
# "light" and "contrast" are choices; without the cookie the system decides
# (prefers-contrast: more gives the high-contrast theme, agora.css).
THEMES = ("light", "contrast")
STRONG_CONTRAST = 7.0


def theme_of(request) -> str:
    """The theme the visitor chose, "" when they chose none."""
    value = request.COOKIES.get(THEME_COOKIE, "") if request is not None else ""
    return value if value in THEMES else ""


@lru_cache(maxsize=256)
def strong(colour: str) -> str:
    """`colour` (#rrggbb) darkened in steps until white text on it reaches 7:1."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for _step in range(100):
        candidate = f"#{red:02x}{green:02x}{blue:02x}"
        if contrast_ratio(candidate, "#ffffff") >= STRONG_CONTRAST:
            return candidate
        red, green, blue = (int(channel * 0.92) for channel in (red, green, blue))
    return "#000000"


def organization_css(organization) -> str:
    """The organization's colours as the tokens agora.css reads (checked #rrggbb
    values only: the model's validator and this function's own check)."""
    if organization is None:
        return ""
    values = {}
    for token, colour in (("brand", organization.primary_colour), ("accent", organization.secondary_colour)):
        if not _is_colour(colour):
            continue
        values[f"--{token}"] = colour.lower()
        values[f"--{token}-strong"] = strong(colour.lower())
    if not values:
        return ""
    return ":root, .theme-light { " + " ".join(f"{name}: {value};" for name, value in values.items()) + " }"


def _is_colour(value) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 7
        and value[0] == "#"
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )
