"""The icons Agora uses: Lucide (https://lucide.dev, ISC licence), vendored
as one SVG sprite, agora/core/static/agora/icons.svg, with its licence beside
it (icons-LICENSE.txt). Nothing is downloaded at run time.

To add an icon: add its Lucide name here, then rebuild the sprite from the
npm package at development time:

    npm pack lucide-static@1.87.0 && tar xzf lucide-static-1.87.0.tgz
    python manage.py build_icons package

Templates write `{% icon "name" %}` (agora.core.templatetags.agora): the
icon is decoration, hidden from assistive technologies, next to a text label
that is always there."""

LUCIDE_VERSION = "1.87.0"

ICONS = (
    "arrow-right", "bell", "calendar", "chart-column", "check", "chevron-left", "chevron-right", "circle-alert",
    "circle-check", "clock", "contrast", "download", "external-link", "eye-off", "file-text", "flag", "funnel",
    "globe", "house", "inbox", "info", "landmark", "layers", "lightbulb", "list", "list-checks", "log-in",
    "log-out", "mail", "map", "map-pin", "menu", "message-square", "newspaper", "pencil", "piggy-bank", "plus",
    "search", "settings", "share-2", "thumbs-up", "trash-2", "triangle-alert", "user", "user-plus", "users",
    "vote", "wallet", "x",
)
