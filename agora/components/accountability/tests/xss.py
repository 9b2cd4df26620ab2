"""Hostile text must not become live markup: a parser-based check (escaped
text such as &lt;img onerror=alert(1)&gt; still contains "onerror=alert(",
so a substring search cannot tell)."""

from html.parser import HTMLParser


class _LiveMarkup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._script_kind = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and "alert(" in (value or "") + name:
                self.found.append(f"<{tag} {name}=...>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")
        if tag in ("iframe", "svg", "math", "details", "body", "img") and "xss" in str(attrs):
            self.found.append(f"<{tag}>")
        if tag == "script":
            self._script_kind = dict(attrs).get("type") or "text/javascript"

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_kind = None

    def handle_data(self, data):
        if self._script_kind is None:
            return
        if self._script_kind == "application/json":
            if "</script" in data.lower() or "<" in data:
                self.found.append("JSON data that can close its <script>")
        elif "xss-" in data:
            self.found.append("<script> with a payload")


def assert_no_live_markup(html: str) -> None:
    parser = _LiveMarkup()
    parser.feed(html)
    assert not parser.found, f"live payload markup: {parser.found}"
    assert "14{% now" not in html  # the template-injection payload was not evaluated
