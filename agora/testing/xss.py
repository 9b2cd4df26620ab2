"""Hostile text for tests that write user input everywhere it can go, and one
check that none of it became live markup where it is shown (pages, e-mails).

The check parses the HTML: correctly escaped text such as
`&lt;img src=x onerror=alert(1)&gt;` still contains "onerror=alert(", so a
substring search cannot tell escaped text from live markup."""

import datetime
from html.parser import HTMLParser

PAYLOADS = (
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert('xss-2')>",
    "<svg onload=alert('xss-3')>",
    "<a href=\"javascript:alert('xss-4')\">click</a>",
    "\"><script>alert('xss-5')</script>",
    "'><img src=x onerror=alert('xss-6')>",
    "<iframe src=\"javascript:alert('xss-7')\"></iframe>",
    "<body onload=alert('xss-8')>",
    "<details open ontoggle=alert('xss-9')>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-10')>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "=cmd|' /C calc'!A0",  # spreadsheet formula injection, for CSV/XLSX exports
)

_PAYLOAD_TAGS = {"iframe", "svg", "math", "details", "body", "img", "mglyph"}
# Attributes that hold text for people: a payload there is text (an image described
# by a hostile alt text is the page showing what was typed, escaped).
_TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "aria-description", "placeholder", "value", "content"}


def _is_javascript_url(value: str) -> bool:
    # Browsers ignore whitespace and control characters inside the scheme.
    compact = "".join(ch for ch in value if ch > " ").lower()
    return compact.startswith("javascript:")


class _LiveMarkupFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script_type: str | None = None
        self._raw_text_tag: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and ("alert(" in value or "xss-" in value):
                self.found.append(f"<{tag} {name}=…>")
            if _is_javascript_url(value):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag in _PAYLOAD_TAGS and any(
            "xss-" in f"{name}={value}"
            for name, value in attrs
            if name not in _TEXT_ATTRIBUTES and not name.startswith("data-")
        ):
            self.found.append(f"<{tag}> from a payload")
        if tag == "script":
            self._script_type = dict(attrs).get("type") or "text/javascript"
        self._raw_text_tag = tag if tag == "style" else None

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None

    def handle_data(self, data):
        # Inside <style> (or in MathML/SVG, where browsers parse it as markup)
        # a raw payload is live: escaped text never holds a raw "<img".
        if self._raw_text_tag and "<" in data and "xss-" in data:
            self.found.append(f"raw payload inside <{self._raw_text_tag}>")
        if self._script_type is None:
            return
        if self._script_type == "application/json":
            if "<" in data:
                self.found.append("JSON data that could close its <script>")
        elif "xss-" in data:
            self.found.append("<script> holding a payload")


def live_markup(html: str) -> list[str]:
    """The pieces of `html` where a payload became live markup (empty: safe)."""
    finder = _LiveMarkupFinder()
    finder.feed(html)
    if finder.cdata_elem and "xss-" in finder.rawdata:
        # An unclosed <style>/<script> swallowed the rest: a raw payload sits in it.
        finder.found.append(f"raw payload inside an unclosed <{finder.cdata_elem}>")
    finder.close()
    return finder.found


def assert_no_live_payload(html: str) -> None:
    """Fail when a payload survived as markup (escaped text is fine)."""
    found = live_markup(html)
    assert not found, f"live payload markup: {found}"
    evaluated_template = f"14{datetime.date.today().year}"
    assert evaluated_template not in html, "the template-injection payload was evaluated"
