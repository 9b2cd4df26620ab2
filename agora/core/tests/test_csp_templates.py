"""Templates of pages hold nothing the Content-Security-Policy blocks: no
style attribute, no inline event handler, no inline script or style without
the response's nonce (e-mail templates, under an `email/` folder, and the
documents WeasyPrint prints, under a `pdf/` folder, are not pages and may use
styles)."""

import re
from pathlib import Path

AGORA = Path(__file__).resolve().parents[2]

STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.DOTALL)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")(?![^>]*nonce=)[^>]*>")
INLINE_STYLE = re.compile(r"<style(?![^>]*nonce=)[^>]*>")
COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)


def page_templates(root: Path = AGORA):
    for path in sorted(root.rglob("templates/**/*.html")):
        relative = path.relative_to(root).as_posix()
        if "/email/" in relative or "/pdf/" in relative or "/tests/" in f"/{relative}":
            continue
        yield relative, COMMENT.sub("", path.read_text(encoding="utf-8"))


def blocked_by_the_policy(root: Path = AGORA) -> list[str]:
    found = []
    for relative, text in page_templates(root):
        for name, pattern in (
            ("style attribute", STYLE_ATTRIBUTE),
            ("event handler", EVENT_HANDLER),
            ("inline script without nonce", INLINE_SCRIPT),
            ("inline style without nonce", INLINE_STYLE),
        ):
            found += [f"{relative}: {name}: {match.group(0)[:80]}" for match in pattern.finditer(text)]
    return found


def test_no_template_holds_what_the_policy_blocks():
    assert blocked_by_the_policy() == []


def test_the_check_finds_each_kind(tmp_path):
    target = tmp_path / "app/templates/app/page.html"
    target.parent.mkdir(parents=True)
    target.write_text(
        '<p style="color: red">x</p><button onclick="go()">y</button><script>go()</script>'
        '<style>p {}</style><script src="/s.js"></script><style nonce="{{ n }}">p {}</style>'
        '<script type="application/json">{}</script>'
    )
    assert [line.split(": ")[1] for line in blocked_by_the_policy(tmp_path)] == [
        "style attribute",
        "event handler",
        "inline script without nonce",
        "inline style without nonce",
    ]


def test_every_page_has_the_policy_and_the_brand_style_its_nonce(client, organization):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "img-src 'self' data: https://tile.openstreetmap.org" in policy
    assert client.get("/").get("Content-Security-Policy") != policy  # a new nonce each time
