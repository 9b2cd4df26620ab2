"""A newsletter in one language: the parts its blocks make (for the e-mail,
its preview and the archive page) and the e-mail itself.

Sending renders each language once with a placeholder for the person's
unsubscribe link (`UNSUBSCRIBE`), which is then replaced per recipient, so a
newsletter to 50,000 people renders its templates once per language."""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime

from agora.core import formats
from agora.core.richtext import html_to_markdown
from agora.core.translations import translated
from agora.newsletters.models import Block, Newsletter

UNSUBSCRIBE = "https://unsubscribe.invalid/newsletter-link"  # replaced by each recipient's link


@dataclass
class SpaceItem:
    title: str
    summary: str
    url: str


@dataclass
class Part:
    kind: str
    html: str = ""  # text: sanitized rich text (Block.text, cleaned by the services)
    text: str = ""  # the same as plain text (Markdown) for the text/plain part
    label: str = ""
    url: str = ""
    image_url: str = ""
    alt: str = ""
    width: int | None = None
    height: int | None = None
    items: list[SpaceItem] = field(default_factory=list)


def absolute(base: str, url: str) -> str:
    return base + url if url.startswith("/") else url


def parts(newsletter: Newsletter, language: str, *, for_email: bool = False) -> list[Part]:
    """What each block shows in `language`. For an e-mail, links and images are
    absolute (e-mails leave the site); on the site's pages they stay paths, so
    pictures come from the site itself as its Content-Security-Policy wants."""
    base = newsletter.organization.base_url if for_email else ""
    blocks = list(newsletter.blocks.prefetch_related("spaces"))
    found = []
    for block in blocks:
        if block.kind == Block.Kind.TEXT:
            html = translated(block.text, language)
            found.append(Part(block.kind, html=html, text=html_to_markdown(html)))
        elif block.kind == Block.Kind.IMAGE and block.image:
            shown = block.picture(wanted=640)
            found.append(
                Part(
                    block.kind,
                    image_url=absolute(base, shown.src if shown else block.image.url),
                    alt=translated(block.image_alt, language),
                    width=shown.width if shown else None,
                    height=shown.height if shown else None,
                    url=absolute(base, block.url) if block.url else "",
                )
            )
        elif block.kind == Block.Kind.BUTTON:
            found.append(Part(block.kind, label=translated(block.text, language), url=absolute(base, block.url)))
        elif block.kind == Block.Kind.UPCOMING:
            items = [
                SpaceItem(
                    translated(item.get("title"), language),
                    formats.long_datetime(parse_datetime(item["starts_at"]), language),
                    absolute(base, item["url"]),
                )
                for item in block.items
                if item.get("starts_at") and parse_datetime(item["starts_at"])
            ]
            if items:
                found.append(Part(block.kind, label=translated(block.text, language), items=items))
        elif block.kind == Block.Kind.SPACES:
            items = [
                SpaceItem(
                    translated(space.title, language),
                    translated(space.short_description, language) or translated(space.subtitle, language),
                    absolute(base, space.get_absolute_url()),
                )
                for space in sorted(block.spaces.all(), key=lambda space: (space.weight, space.pk))
                if space.is_public
            ]
            if items:
                found.append(Part(block.kind, label=translated(block.text, language), items=items))
    return found


def email(newsletter: Newsletter, language: str, *, unsubscribe_url: str = UNSUBSCRIBE, test: bool = False):
    """(subject, text, html) of the e-mail in `language`."""
    organization = newsletter.organization
    context = {
        "organization": organization,
        "newsletter": newsletter,
        "parts": parts(newsletter, language, for_email=True),
        "unsubscribe_url": unsubscribe_url,
        "archive_url": absolute(organization.base_url, newsletter.get_absolute_url()),
        "settings_url": organization.base_url + reverse("accounts:settings"),
        "language": language,
        "test": test,
    }
    with translation.override(language):
        subject = translated(newsletter.subject, language)
        if test:
            subject = translation.gettext("[Test] %(subject)s") % {"subject": subject}
        text = render_to_string("newsletters/email/newsletter.txt", context)
        html = render_to_string("newsletters/email/newsletter.html", context)
    return subject, text, html
