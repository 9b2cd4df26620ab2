"""Reads the administration menu out of a back-office page (html.parser: no library needed)."""

from html.parser import HTMLParser


class _MenuParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0  # <nav> elements open inside the menu's
        self.label = ""
        self.groups: list[tuple[str, list[dict]]] = [("", [])]
        self.text: list[str] | None = None
        self.link: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and (self.depth or "backoffice-nav" in (attrs.get("class") or "")):
            if not self.depth:
                self.label = attrs.get("aria-label", "")
            self.depth += 1
        elif not self.depth:
            return
        elif tag == "h2":
            self.text = []
        elif tag == "a" and "skip-link" not in (attrs.get("class") or ""):
            self.link = {"href": attrs.get("href"), "current": attrs.get("aria-current")}
            self.text = []

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "nav":
            self.depth -= 1
        elif tag == "h2" and self.text is not None:
            self.groups.append((" ".join("".join(self.text).split()), []))
            self.text = None
        elif tag == "a" and self.link is not None:
            self.link["text"] = " ".join("".join(self.text or []).split())
            self.groups[-1][1].append(self.link)
            self.link, self.text = None, None

    def handle_data(self, data):
        if self.depth and self.text is not None:
            self.text.append(data)


def menu_of(html: str) -> tuple[str, dict[str, list[dict]]]:
    """(the nav's aria-label, {group heading ("" for the entries above the groups): [{href, text, current}]})."""
    parser = _MenuParser()
    parser.feed(html)
    return parser.label, {heading: links for heading, links in parser.groups}


def menu_hrefs(html: str) -> set[str]:
    return {link["href"] for links in menu_of(html)[1].values() for link in links}
