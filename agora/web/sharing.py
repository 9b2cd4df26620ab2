"""Sharing a public page: the links to share it (plain links, no third-party
script), its Open Graph and Twitter card metadata, and the code to embed its
card on another site.

A public view adds ``**sharing.share_context(request, title=..., ...)`` to its
context; base.html reads ``share`` (the metadata in <head>, the links after
the content) and ``feeds`` (<link rel="alternate"> of the page's RSS/Atom
feeds). Only what an anonymous visitor may read goes in: a view calls it for
public content only (``is_public`` below), never for a draft, a hidden
contribution or a private space."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from agora.core import pagecache
from agora.core.images import Picture
from agora.core.models import HomeBlock

DESCRIPTION_CHARS = 200

# A Mastodon (or any fediverse server with the /share endpoint) host name:
# letters, digits, dots and hyphens, an optional port. Nothing else (no path,
# no scheme, no user) so the link built from it goes to that server's /share.
INSTANCE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::[0-9]{1,5})?$")


@dataclass(frozen=True)
class ShareLink:
    key: str
    label: str
    href: str


@dataclass(frozen=True)
class Feed:
    """A feed of the page, announced by <link rel="alternate">."""

    title: str
    href: str
    kind: str = "rss"  # "rss" | "atom"

    @property
    def content_type(self) -> str:
        return "application/atom+xml" if self.kind == "atom" else "application/rss+xml"


@dataclass(frozen=True)
class Share:
    url: str  # absolute
    title: str
    description: str = ""
    image: str = ""  # absolute URL of the picture, "" for none
    image_alt: str = ""
    site_name: str = ""
    kind: str = "article"  # og:type
    embed_url: str = ""  # absolute URL of the embeddable card, "" when there is none
    links: list[ShareLink] = field(default_factory=list)

    @property
    def mastodon_text(self) -> str:
        return f"{self.title} {self.url}"


def plain_description(value: str, chars: int = DESCRIPTION_CHARS) -> str:
    """The first sentences of a text (HTML or plain) as one line of plain text."""
    text = html.unescape(strip_tags(value or ""))
    text = " ".join(text.split())
    return Truncator(text).chars(chars)


def share_links(url: str, title: str) -> list[ShareLink]:
    """The plain links of the share panel (the Mastodon one is a form, in the template)."""
    return [
        ShareLink("email", str(_("E-mail")), "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
        ShareLink("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ShareLink("x", "X", "https://x.com/intent/tweet?" + urlencode({"url": url, "text": title})),
        ShareLink("linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
    ]


def mastodon_share_url(instance: str, text: str) -> str | None:
    """https://<instance>/share?text=..., or None when `instance` is not a host name."""
    instance = (instance or "").strip().lower().removeprefix("https://").removeprefix("@").rstrip("/")
    if "@" in instance:  # "me@mastodon.social": the server is after the @
        instance = instance.rsplit("@", 1)[1]
    if not INSTANCE.match(instance):
        return None
    return f"https://{instance}/share?" + urlencode({"text": text})


def hero_picture(organization) -> Picture | None:
    """The picture of the organization's home-page hero (the first shown hero
    block with one): the default picture of a shared page. Read with the
    organization that a request found by its host (agora.core.selectors, per
    settings version), else kept per settings version. The block is kept, not
    its picture, whose text alternative is in the page's language."""

    def load():
        return (
            HomeBlock.objects.filter(organization=organization, kind="hero", is_enabled=True)
            .exclude(image="")
            .order_by("position", "id")
            .first()
        )

    if hasattr(organization, "sharing_hero"):  # read with the organization (agora.core.selectors)
        found = dict(organization.sharing_hero or {})
        for name in ("settings", "image_variants"):  # (JSON inside JSON: text on SQLite)
            if isinstance(found.get(name), str):
                found[name] = json.loads(found[name])
        block = HomeBlock(organization=organization, kind="hero", **found) if found else None
    else:
        block = pagecache.memo(("share_hero", organization.pk), load)
    return block.picture(wanted=1200) if block else None


def share_context(
    request,
    *,
    title: str,
    description: str = "",
    picture: Picture | None = None,
    url: str = "",
    embed_url: str = "",
    kind: str = "article",
) -> dict:
    """{"share": Share} for the page of a public resource (see the module's docstring).
    `url` and `embed_url` are paths or absolute addresses; `url` defaults to
    the page's own path without its query."""
    component = getattr(request, "component", None)
    if component is not None and not component.is_public:
        return {}  # a private space or an unpublished component: nothing for other sites
    absolute = request.build_absolute_uri(url or request.path)
    chosen = picture or hero_picture(request.organization)
    image = request.build_absolute_uri(chosen.src) if chosen and chosen.src else ""
    share = Share(
        url=absolute,
        title=title,
        description=plain_description(description),
        image=image,
        image_alt=(chosen.alt if chosen else "") or "",
        site_name=request.organization.name,
        kind=kind,
        embed_url=request.build_absolute_uri(embed_url) if embed_url else "",
        links=share_links(absolute, title),
    )
    return {"share": share}


def feeds_context(*feeds: Feed) -> dict:
    return {"feeds": list(feeds)}
