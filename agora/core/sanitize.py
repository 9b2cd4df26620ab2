"""User- and staff-written rich text is cleaned on save with nh3 (Ammonia)."""

import re
from html import unescape

import nh3
from django.utils.html import linebreaks, strip_tags

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan"}, "th": {"colspan", "scope"}}


def clean_html(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def clean_translated_html(value: dict) -> dict:
    return {code: clean_html(text) for code, text in (value or {}).items()}


def html_to_plain_text(html: str) -> str:
    """The text plain_text_to_html made rich, back as it was typed (to edit it
    again): paragraphs as blank lines, line breaks as line ends, no tags."""
    text = re.sub(r"<br\s*/?>\s*", "\n", html or "")
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return unescape(strip_tags(text)).strip()


def plain_text_to_html(text: str) -> str:
    """Plain text someone typed (an idea's body) as rich text: escaped, a
    paragraph at each blank line and a line break at each line end."""
    return linebreaks(text or "", autoescape=True)
