"""Design tokens and themes: the organization's colours as custom properties
(with a darker form for the high-contrast theme), the "High contrast" button
(a form and a cookie, no JavaScript), the page cache keeping one page per theme,
and the favicon from the organization's settings."""

import re
from pathlib import Path

from django.core.cache import cache

from agora.core.forms import contrast_ratio
from agora.core.theming import organization_css, strong

CSS = Path(__file__).resolve().parents[1] / "static" / "agora" / "agora.css"


def test_strong_colours_reach_seven_to_one_and_keep_dark_ones():
    for colour in ("#1d4f91", "#b3261e", "#767676", "#0055a4", "#2e7d32"):
        darker = strong(colour)
        assert contrast_ratio(darker, "#ffffff") >= 7
    assert strong("#000000") == "#000000"
    assert strong("#123456") == "#123456"  # already 7:1


def test_the_page_carries_the_organizations_colours_as_tokens(client, organization):
    organization.primary_colour, organization.secondary_colour = "#0055A4", "#B3261E"
    organization.save()
    html = client.get("/").content.decode()
    style = re.search(r"<style nonce=\"[^\"]+\">([^<]*)</style>", html).group(1)
    assert "--brand: #0055a4;" in style and "--accent: #b3261e;" in style
    assert f"--brand-strong: {strong('#0055a4')};" in style


def test_a_colour_that_is_not_one_never_reaches_the_style(organization):
    organization.primary_colour = "red;}body{display:none"
    assert "display" not in organization_css(organization)


def test_the_stylesheet_has_both_themes_and_honours_the_system():
    text = CSS.read_text()
    for needed in (
        ':root[data-theme="contrast"]',
        "@media (prefers-contrast: more)",
        ':root:not([data-theme="light"])',
        "@media (prefers-reduced-motion: reduce)",
        "--tap: 2.75rem",
    ):
        assert needed in text


def test_the_contrast_button_sets_the_cookie_and_the_page_follows(client, organization):
    html = client.get("/processes/").content.decode()
    assert "data-theme" not in html.split(">", 2)[1]
    assert 'aria-pressed="false"' in html and 'name="theme" value="contrast"' in html
    response = client.post("/theme/", {"theme": "contrast", "next": "/processes/"})
    assert response.status_code == 302 and response["Location"] == "/processes/"
    assert response.cookies["agora_theme"].value == "contrast"
    html = client.get("/processes/").content.decode()
    assert '<html lang="fr" dir="ltr" data-theme="contrast">' in html
    assert 'aria-pressed="true"' in html and 'name="theme" value="light"' in html
    client.post("/theme/", {"theme": "light", "next": "/"})
    assert 'data-theme="light"' in client.get("/").content.decode()


def test_the_theme_button_refuses_other_sites_and_odd_values(client, organization):
    response = client.post("/theme/", {"theme": "contrast", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.post("/theme/", {"theme": "<script>", "next": "/"})
    assert response.cookies["agora_theme"].value == ""  # forgotten: the system decides again
    client.cookies["agora_theme"] = "<b>"
    assert "data-theme" not in client.get("/").content.decode().split(">", 2)[1]
    assert client.get("/theme/").status_code == 405


def test_the_page_cache_keeps_one_page_per_theme(rf, settings, db):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from agora.core import pagecache

    settings.AGORA_PAGE_CACHE_SECONDS = 60
    cache.clear()
    rendered = []

    def visit(theme=None):
        request = rf.get("/ideas/")
        request.user = AnonymousUser()
        if theme:
            request.COOKIES["agora_theme"] = theme
        return pagecache.page(request, "", lambda: rendered.append(theme) or HttpResponse(f"page {theme}"))

    assert visit().content == b"page None" and visit().content == b"page None"
    assert visit("contrast").content == b"page contrast" and visit("contrast").content == b"page contrast"
    assert visit("odd").content == b"page None"  # an unknown value is no choice: the same page
    assert rendered == [None, "contrast"]


def test_the_favicon_of_the_organization(client, organization):
    html = client.get("/").content.decode()
    assert 'href="/static/agora/favicon.svg"' in html
    organization.favicon = "organizations/favicons/abc.png"
    organization.save()
    assert 'rel="icon" href="/media/organizations/favicons/abc.png"' in client.get("/").content.decode()
