"""Reads of the pages component."""

import html
import re

from django.db.models import QuerySet
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from agora.components.models import Component
from agora.components.pages.models import Page


def pages_of(component: Component) -> QuerySet[Page]:
    return Page.objects.filter(component=component).order_by("weight", "id")


def page_of(component: Component, slug: str) -> Page | None:
    return pages_of(component).filter(slug=slug).first()


_HEADING = re.compile(r"<(h[23])>(.*?)</\1>", re.DOTALL)


def with_table_of_contents(body_html: str) -> tuple[str, list[dict]]:
    """Give the h2/h3 headings of a sanitized body an id and list them.

    The body was cleaned with nh3, which keeps no attribute on headings, so
    the headings are plain `<h2>` tags and the only attribute added here is
    an id we generate. Returns (html, [{"level", "id", "text"}])."""
    entries: list = []

    def anchor(match: re.Match[str]) -> str:
        tag, inner = match.group(1), match.group(2)
        anchor_id = f"section-{len(entries) + 1}"
        entries.append({"level": int(tag[1]), "id": anchor_id, "text": html.unescape(strip_tags(inner)).strip()})
        return f'<{tag} id="{anchor_id}">{inner}</{tag}>'

    return mark_safe(_HEADING.sub(anchor, body_html or "")), entries
