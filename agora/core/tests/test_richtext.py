"""Texts written in Markdown and stored as sanitized HTML (agora.core.richtext)."""

import re

import pytest
from django.urls import reverse

from agora.core.richtext import html_to_markdown, markdown_to_html
from agora.testing.xss import PAYLOADS, live_markup

MARKDOWN_PAYLOADS = (
    "[click](javascript:alert('md-1'))",
    "[click](JaVaScRiPt:alert('md-2'))",
    "<javascript:alert('md-3')>",
    "![x](javascript:alert('md-4'))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "**<script>alert('md-5')</script>**",
    "# <img src=x onerror=alert('md-6')>",
    "- <svg onload=alert('md-7')>",
    "```\n</code><script>alert('md-8')</script>\n```",
    "| a |\n|---|\n| <iframe src=javascript:alert('md-9')> |",
)


def _same(html_a, html_b):
    def squeeze(html):
        return re.sub(r"<br>\s+", "<br>", re.sub(r">\s+<", "><", html.strip()))

    return squeeze(html_a) == squeeze(html_b)


def test_markdown_becomes_the_html_pages_show():
    html = markdown_to_html(
        "# Qui peut voter ?\n\nLes **habitants** de *16 ans* et plus.\n\n"
        "- Centre\n- Les Prés\n\n1. Déposer\n2. Voter\n\n> Citation\n\n"
        '[Le règlement](https://example.org/reglement "Règlement")'
    )
    assert "<h2>Qui peut voter ?</h2>" in html  # the page's title is the h1: texts start at h2
    assert "<strong>habitants</strong>" in html and "<em>16 ans</em>" in html
    assert "<ul>\n<li>Centre</li>" in html and "<ol>\n<li>Déposer</li>" in html
    assert "<blockquote>" in html
    assert '<a href="https://example.org/reglement" title="Règlement" rel="noopener noreferrer nofollow">' in html


@pytest.mark.parametrize("payload", PAYLOADS + MARKDOWN_PAYLOADS)
def test_no_script_survives_markdown_or_html(payload):
    for text in (payload, f"Texte *avant*\n\n{payload}\n\nAprès", f"<p>{payload}</p>"):
        html = markdown_to_html(text)
        assert not live_markup(html), (text, html)
        assert "<script" not in html.lower() and 'href="javascript' not in html.lower().replace(" ", "")


STORED = [
    "<p>La Ville consacre <strong>100 000 €</strong> à des projets.</p>",
    "<h2>Qui ?</h2><ul><li>Les habitants</li><li>Les <em>jeunes</em></li></ul>"
    '<p>Voir <a href="https://example.org/x" rel="noopener noreferrer nofollow">le site</a>.</p>',
    "<ol><li><p>Un</p><ul><li>a</li><li>b</li></ul></li><li><p>Deux</p></li></ol>"
    "<blockquote><p>Citation *étoile* 1. pas une liste</p></blockquote>",
    "<p>Ligne<br>suivante &amp; AT&amp;T &lt;b&gt; 3 * 4 _x_ # pas un titre</p>"
    "<table><tbody><tr><td>a</td></tr></tbody></table><p><u>souligné</u></p>",
    "<pre><code>code *brut*\nligne 2\n</code></pre><p>du <code>x_y</code></p>",
    "<p>1. Pas une liste</p><p>- pas une liste</p><p>[pas un lien](x)</p>",
    "<h3>Sous-titre</h3><h4>Encore</h4><p>Fin.</p>",
]


@pytest.mark.parametrize("stored", STORED)
def test_stored_html_is_edited_as_markdown_and_saved_back_the_same(stored):
    markdown = html_to_markdown(stored)
    assert "<p>" not in markdown and "<strong>" not in markdown and "<li>" not in markdown
    assert _same(markdown_to_html(markdown), markdown_to_html(stored))


def test_the_demo_texts_survive_an_edit_unchanged(db):
    from agora.demo.city import load_demo
    from agora.spaces.models import Space

    organization, _created = load_demo(host="demo.example.org")
    texts = [
        text
        for space in Space.objects.filter(organization=organization)
        for value in (space.description, space.purpose, space.composition)
        for text in (value or {}).values()
    ]
    assert len(texts) > 5
    for text in texts:
        assert _same(markdown_to_html(html_to_markdown(text)), markdown_to_html(text)), text


def test_a_form_shows_markdown_and_saves_sanitized_html(client, org_admin, organization):
    from agora.components.pages.models import Page
    from agora.testing import factories

    component = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=organization), manifest_name="pages"
    )
    page = Page.objects.create(
        component=component,
        title={"fr": "FAQ"},
        slug="faq",
        body={"fr": "<h2>Qui ?</h2><p>Les <strong>habitants</strong>.</p>"},
    )
    client.force_login(org_admin)
    url = reverse(
        "pages_admin:edit", kwargs={"space_id": component.space_id, "component_id": component.pk, "page_id": page.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["body__fr"].initial == "## Qui ?\n\nLes **habitants**.\n"
    html = response.content.decode()
    assert "data-markdown" in html and 'role="toolbar"' in html and "**gras**" in html
    response = client.post(
        url,
        {
            "title__fr": "FAQ",
            "slug": "faq",
            "weight": 0,
            "body__fr": "## Qui ?\n\nLes **habitants** <script>alert(1)</script>\n\n- un\n- deux",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page.refresh_from_db()
    assert page.body["fr"] == (
        "<h2>Qui ?</h2>\n<p>Les <strong>habitants</strong> </p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>"
    )
    # HTML typed by hand still works (and is still sanitized).
    client.post(
        url,
        {
            "title__fr": "FAQ",
            "slug": "faq",
            "weight": 0,
            "body__fr": "<p>Bonjour <em>tous</em></p><img src=x onerror=alert(1)>",
        },
    )
    page.refresh_from_db()
    assert page.body["fr"] == "<p>Bonjour <em>tous</em></p>"


def test_the_preview_is_the_saved_rendering_for_staff_only(client, org_admin, participant):
    url = reverse("backoffice:markdown_preview")
    text = "**gras** <script>alert(1)</script> [x](javascript:alert(2))"
    assert client.post(url, {"text": text}).status_code == 302  # anonymous: log in
    client.force_login(participant)
    assert client.post(url, {"text": text}).status_code == 403
    client.force_login(org_admin)
    assert client.get(url).status_code == 405
    response = client.post(url, {"text": text})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.content.decode() == markdown_to_html(text)
    assert "<strong>gras</strong>" in response.content.decode() and "<script" not in response.content.decode()
