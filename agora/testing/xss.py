"""Hostile text for tests that write user input everywhere it can go and
check that none of it runs where it is shown (pages, e-mails, exports)."""

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

# Markers that must never appear unescaped in HTML output.
DANGEROUS_MARKUP = ("<script>alert(", "onerror=alert(", "onload=alert(", "javascript:alert(", "ontoggle=alert(")


def assert_no_live_payload(html: str) -> None:
    """Fail when a payload survived as markup (escaped text like &lt;script&gt; is fine)."""
    for marker in DANGEROUS_MARKUP:
        assert marker not in html, f"unescaped payload {marker!r} in output"
