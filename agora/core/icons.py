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
    "accessibility",
    "arrow-right",
    "badge-check",
    "bell",
    "building-2",
    "calendar",
    "chart-column",
    "check",
    "chevron-left",
    "chevron-right",
    "circle-alert",
    "circle-check",
    "clock",
    "contrast",
    "download",
    "external-link",
    "eye-off",
    "file-text",
    "flag",
    "folders",
    "funnel",
    "globe",
    "hand-helping",
    "history",
    "hourglass",
    "house",
    "inbox",
    "info",
    "landmark",
    "layers",
    "layout-dashboard",
    "lightbulb",
    "list",
    "list-checks",
    "log-in",
    "log-out",
    "mail",
    "mail-warning",
    "map",
    "map-pin",
    "menu",
    "message-square",
    "newspaper",
    "palette",
    "pencil",
    "piggy-bank",
    "plus",
    "reply",
    "scroll-text",
    "search",
    "settings",
    "share-2",
    "shield-check",
    "tags",
    "thumbs-down",
    "thumbs-up",
    "trash-2",
    "triangle-alert",
    "user",
    "user-plus",
    "user-x",
    "users",
    "vote",
    "wallet",
    "x",
)
